//! The file readers' tests, one test binary: [`tables`] reads task tables (CSV in several
//! encodings, XLSX, several sheets); [`never_panics`] feeds the readers any bytes.

mod never_panics;
mod tables;
