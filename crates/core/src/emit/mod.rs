//! Emitters: each turns the model into one part of the plan.

pub mod delivery;
pub mod findings;
pub mod gateway;
pub mod policies;
pub mod runbook;
pub mod tls;
pub mod values;
