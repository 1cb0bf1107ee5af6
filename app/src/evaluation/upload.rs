//! Reads the upload form (`upload_readings`): a multipart body with the prototype and
//! measure ids and one file. Every part is read with a cap, so a large or endless body
//! costs at most a paste's size of memory; parts with other names are skipped unread.

use leptos::server_fn::codec::MultipartData;

use super::CSV_BYTES_MAX;
use crate::error::AppError;

/// What the upload form sent.
pub struct Upload {
    pub prototype: i64,
    pub measure: i64,
    /// The file's bytes, cut at one byte over the limit (so "too large" can be told).
    pub file: Vec<u8>,
}

/// The longest id part read.
const ID_MAX: usize = 20;

/// The form's parts. A body that is not a multipart form is "could not be read".
pub async fn read(data: MultipartData) -> Result<Upload, AppError> {
    let mut parts = data.into_inner().ok_or(AppError::BadRequest)?;
    let (mut prototype, mut measure, mut file) = (None, None, Vec::new());
    while let Some(mut part) = parts.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = part.name().unwrap_or_default().to_string();
        let cap = match name.as_str() {
            "prototype" | "measure" => ID_MAX,
            "file" => CSV_BYTES_MAX + 1,
            _ => continue,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(|_| AppError::BadRequest)? {
            let room = cap.saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if bytes.len() >= cap {
                break;
            }
        }
        let id = || std::str::from_utf8(&bytes).ok().and_then(|t| t.trim().parse::<i64>().ok());
        match name.as_str() {
            "prototype" => prototype = id(),
            "measure" => measure = id(),
            _ => file = bytes,
        }
    }
    // The ids come from the page's hidden inputs: without them the form was not ours.
    match (prototype, measure) {
        (Some(prototype), Some(measure)) => Ok(Upload { prototype, measure, file }),
        _ => Err(AppError::BadRequest),
    }
}
