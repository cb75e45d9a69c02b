//! Cursor pagination: page sizes (default 50, at most 500) and slicing after a cursor.

use async_graphql::SimpleObject;

use crate::error::ServiceError;

/// The default page size.
pub const DEFAULT_PAGE: usize = 50;
/// The largest page a client may ask for.
pub const MAX_PAGE: usize = 500;

/// Whether more follows and where to continue.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether another page follows.
    pub has_next_page: bool,
    /// The cursor of the last edge.
    pub end_cursor: Option<String>,
}

/// Reads `first`.
pub fn page_size(first: Option<i32>) -> Result<usize, ServiceError> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) if n < 0 => Err(ServiceError::invalid("first", "must not be negative")),
        Some(n) if n as usize > MAX_PAGE => Err(ServiceError::invalid(
            "first",
            format!("at most {MAX_PAGE} items per page (asked for {n}); page with `after`"),
        )),
        Some(n) => Ok(n as usize),
    }
}

/// Slices `items` (each with its cursor) after `after`, `first` long.
pub fn slice<T>(
    items: Vec<(String, T)>,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<(Vec<(String, T)>, PageInfo), ServiceError> {
    let size = page_size(first)?;
    let start = match after {
        None => 0,
        Some(cursor) => {
            items.iter().position(|(c, _)| c == cursor).ok_or_else(|| {
                ServiceError::invalid("after", format!("'{cursor}' is not a cursor of this list"))
            })? + 1
        }
    };
    let total = items.len();
    let page: Vec<_> = items.into_iter().skip(start).take(size).collect();
    let info = PageInfo {
        has_next_page: start + page.len() < total,
        end_cursor: page.last().map(|(c, _)| c.clone()),
    };
    Ok((page, info))
}
