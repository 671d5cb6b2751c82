//! The Corridor node: the gateway banks connect to. It authenticates (mutual TLS or, in
//! development, bearer tokens), authorises, validates and translates requests into settlement
//! commands for the engine, serves the outbox, and exposes health, metrics and OpenAPI.
//! It never changes state itself: every change goes through the engine.

pub mod admission;
pub mod api;
pub mod auth;
pub mod calendar_api;
pub mod compliance_api;
pub mod controls_api;
pub mod credentials_api;
pub mod crl;
pub mod endpoint;
pub mod error;
pub mod fx_api;
pub mod iso_api;
pub mod iso_intake;
pub mod iso_outbound;
pub mod liquidity_api;
pub mod list_store;
pub mod listener;
pub mod metrics;
pub mod net_api;
pub mod openapi;
pub mod outbound_facts;
pub mod outbox_api;
pub mod outbox_signal;
pub mod page;
pub mod payments_api;
pub mod rates_file;
pub mod recall_api;
pub mod replication;
pub mod routes;
pub mod screening;
pub mod server;
pub mod state;
pub mod submit;
pub mod tls;
pub mod views;

pub use server::{NodeConfig, NodeError, RunningNode, start};
pub use state::AppState;
