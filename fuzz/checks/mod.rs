//! The checks of the fuzz targets, shared with their corpus replay in the test suite (which
//! includes this folder by path, so it runs on stable without cargo fuzz). Each `check` takes the
//! raw input bytes and panics on a finding; it returns whether the input reached the accepting
//! side (a spec accepted, a body decoded, a message opened), so a replay can tell the corpus
//! still exercises both sides.

pub mod callback;
pub mod decode;
pub mod emitted;
pub mod events;
pub mod spec_structured;
pub mod spec_text;
