//! A JSON column (`json_group_array(...)`, `json_object(...)`) decoded into typed rows.
//!
//! Stores read a page section with many rows as one `json_group_array` column of the
//! section's row, so the page costs one statement, not one per section; this is the one
//! decoder they share.

use serde::{de::DeserializeOwned, Deserialize};
use sqlx::Sqlite;

/// A JSON column decoded into `T`: `Json<Vec<ItemRow>>` for a `json_group_array` of
/// `json_object`s, `Option<Json<Head>>` for one optional `json_object`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Json<T>(pub T);

/// The common case: a `json_group_array` column, read as its rows.
pub type JsonRows<T> = Json<Vec<T>>;

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> sqlx::Type<Sqlite> for Json<T> {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <String as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'r, T: DeserializeOwned> sqlx::Decode<'r, Sqlite> for Json<T> {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<Sqlite>>::decode(value)?;
        Ok(Json(serde_json::from_str(text)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::SqlitePool;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Row {
        id: i64,
        name: String,
    }

    #[tokio::test]
    async fn decodes_a_group_array_and_an_empty_one() {
        let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
        let rows: JsonRows<Row> = sqlx::query_scalar(
            "SELECT json_group_array(json_object('id', id, 'name', name)) FROM (SELECT 1 AS id, 'Ada' AS name)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(rows.0, vec![Row { id: 1, name: "Ada".into() }]);
        let none: JsonRows<Row> =
            sqlx::query_scalar("SELECT json_group_array(1) FROM (SELECT 1 WHERE 0)").fetch_one(&pool).await.unwrap();
        assert!(none.is_empty());
    }

    #[tokio::test]
    async fn malformed_json_is_a_decode_error_not_a_panic() {
        let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
        let got: Result<JsonRows<Row>, _> = sqlx::query_scalar("SELECT '[{\"id\": \"x\"}]'").fetch_one(&pool).await;
        assert!(got.is_err());
    }
}
