//! How an endpoint pages, resolved: the style, the request fields that carry the position and
//! the page size, where the next position and the items come from, and what ends it.

use super::FieldRef;

/// How the position of the next page is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingStyle {
    /// An opaque cursor the server hands back.
    Cursor,
    /// An item offset.
    Offset,
    /// A page number.
    Page,
    /// A `nextToken`.
    NextToken,
}

/// What signals the last page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSignal {
    /// The `has_more` field is false (or 0, for an integer flag).
    HasMoreFalse,
    /// The `done` field is true (or not 0): a flag in the opposite sense of `has_more`
    /// (WeCom 汇报's `endflag`, 直播's `ending`).
    DoneFlag,
    /// The `next` field is missing or null.
    NextAbsent,
    /// The `next` field is missing, null or an empty string (`next_cursor: ""`).
    NextEmpty,
    /// The `next` field equals the `total` field.
    NextEqualsTotal,
    /// The page holds fewer items than the request's page size.
    ShortPage,
}

/// Where the position of the next page comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageNext {
    /// A response field hands it back.
    Field(FieldRef),
    /// The client computes it from the request: position + page size (`offset`), or
    /// position + 1 (`page`). An empty page always ends such paging.
    Computed,
}

/// Where a page's items are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageItems {
    /// A list field of the response object.
    Field(FieldRef),
    /// A list field of an object field of the response (`items: file_list.item`): the outer field,
    /// then the list.
    Nested(FieldRef, FieldRef),
    /// The payload itself is the list (`"result": ["id1", "id2"]`).
    Payload,
}

/// How an endpoint pages.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The style.
    pub style: PagingStyle,
    /// Request field carrying the position.
    pub request: FieldRef,
    /// The position of the first page when the request leaves it unset (the field's documented
    /// default); read by computed paging.
    pub request_default: Option<i64>,
    /// Request field carrying the page size.
    pub size: Option<FieldRef>,
    /// The page size when the request leaves it unset (the field's documented default).
    pub size_default: Option<i64>,
    /// Where the next position comes from.
    pub next: PageNext,
    /// Where the items are.
    pub items: PageItems,
    /// End signals; any one ends the paging.
    pub end: Vec<EndSignal>,
    /// The `has_more` field (a bool, or an integer flag), when an end signal reads it.
    pub has_more: Option<FieldRef>,
    /// The `done` field (a bool, or an integer flag), when an end signal reads it.
    pub done: Option<FieldRef>,
    /// The `total` field, when an end signal reads it.
    pub total: Option<FieldRef>,
}
