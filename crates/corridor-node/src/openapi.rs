//! Placeholder replaced below.
pub async fn document() -> &'static str {
    "{}"
}
