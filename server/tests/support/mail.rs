//! A real SMTP server on 127.0.0.1 for the tests (mailin-embedded, on its own threads), which
//! keeps every message it receives; tests wait for a message as their ready signal.

use std::sync::{Arc, Mutex};

use mail_parser::{MessageParser, MimeHeaders};
use mailin_embedded::{response, Handler, Response, Server};
use tokio::sync::watch;

/// One message as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

impl Received {
    fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default().parse(&self.raw).expect("a readable email")
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    /// The plain-text alternative, decoded.
    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(|t| t.into_owned()).unwrap_or_default()
    }

    /// The HTML alternative, decoded.
    pub fn html(&self) -> String {
        self.parsed().body_html(0).map(|t| t.into_owned()).unwrap_or_default()
    }

    /// A header's raw value, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed().header_raw(name).map(|v| v.trim().to_string())
    }

    /// The first link in the plain text that contains `part`.
    pub fn link(&self, part: &str) -> String {
        let text = self.text();
        text.split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(part))
            .unwrap_or_else(|| panic!("no link with {part} in:\n{text}"))
            .to_string()
    }

    /// An attachment's text, by file name.
    pub fn attachment(&self, name: &str) -> Option<String> {
        let parsed = self.parsed();
        let part = parsed.attachments().find(|a| a.attachment_name() == Some(name))?;
        Some(String::from_utf8_lossy(part.contents()).into_owned())
    }

    /// Everything a person could read in it: headers, both alternatives, decoded.
    pub fn readable(&self) -> String {
        format!("{}\n{}\n{}", String::from_utf8_lossy(&self.raw), self.text(), self.html())
    }
}

#[derive(Clone)]
struct Catch {
    inbox: Arc<Mutex<Vec<Received>>>,
    count: Arc<watch::Sender<usize>>,
    to: Vec<String>,
    buf: Vec<u8>,
}

impl Handler for Catch {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.buf.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let received = Received { to: std::mem::take(&mut self.to), raw: std::mem::take(&mut self.buf) };
        let n = {
            let mut inbox = self.inbox.lock().unwrap();
            inbox.push(received);
            inbox.len()
        };
        self.count.send_replace(n);
        response::OK
    }
}

pub struct Sink {
    /// What the server's `--smtp-url` should be.
    pub url: String,
    inbox: Arc<Mutex<Vec<Received>>>,
    count: watch::Receiver<usize>,
}

impl Sink {
    pub fn start() -> Sink {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let (tx, count) = watch::channel(0);
        let catch = Catch { inbox: inbox.clone(), count: Arc::new(tx), to: Vec::new(), buf: Vec::new() };
        let mut server = Server::new(catch);
        server.with_name("sink.test").with_num_threads(2).with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Sink { url: format!("smtp://127.0.0.1:{port}"), inbox, count }
    }

    /// Every message so far.
    pub fn all(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// The messages to `address` so far.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.all().into_iter().filter(|m| m.to.iter().any(|t| t.contains(address))).collect()
    }

    /// Waits until `n` messages have arrived for `address` and returns them (the sender runs
    /// every two seconds; fails after 30 s).
    pub async fn wait_for(&self, address: &str, n: usize) -> Vec<Received> {
        let mut count = self.count.clone();
        let arrived = tokio::time::timeout(std::time::Duration::from_secs(30), async {
            loop {
                let got = self.to(address);
                if got.len() >= n {
                    return got;
                }
                count.changed().await.unwrap();
            }
        })
        .await;
        arrived.unwrap_or_else(|_| panic!("{n} email(s) to {address} did not arrive within 30 s"))
    }
}
