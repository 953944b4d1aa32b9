//! The user's values file: parsed with positions, read into a release model, edited in place.

pub mod document;
pub mod edit;
pub mod release;

pub use document::{Document, LocatedError, Pos};
pub use release::{Release, TopKey};
