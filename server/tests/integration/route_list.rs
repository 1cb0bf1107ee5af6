//! The route list is generated once per process (`server::routes`). Generating it sets
//! leptos_server's process-wide `SuppressResourceLoad`, and a page whose resource was first
//! polled meanwhile, on another server in the process, never finished (leptos#4773): the
//! stalls these tests saw now and then, 1 run of the binary in 4.

use crate::support;

use reqwest::StatusCode;
use support::TestApp;

#[tokio::test]
async fn a_second_server_in_the_process_reuses_the_route_list() {
    let (first, _a) = TestApp::fresh_quiet().await;
    let (second, _b) = TestApp::fresh_quiet().await;
    // Every test in this binary builds servers, two at a time; still one generation.
    assert_eq!(server::route_lists_made(), 1);
    // Both serve a page whose data is a resource, from the shared list.
    for app in [&first, &second] {
        let page = app.client().get("/").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("</html>"), "the whole page: {}", page.body);
    }
    first.stop().await;
    second.stop().await;
}
