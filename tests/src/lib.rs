//! The workapi test suite lives in `tests/suite/`; this library is empty on purpose.
