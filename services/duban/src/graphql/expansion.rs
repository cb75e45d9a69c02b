//! A bound on a document's size once its fragments are expanded, counted before
//! validation.
//!
//! Validation (the depth and complexity limits among it) walks every fragment spread
//! into its fragment, so a document of 25 fragments that each spread the next twice
//! (~900 bytes) asks for 2²⁵ visits: seconds of CPU before "too complex". This module
//! counts the fields the document would select with every spread expanded, in time
//! linear in the document: each fragment's own fields and the spreads it makes are
//! gathered once, and a fragment's expanded size is computed once (memoised, without
//! recursion, so a chain of thousands of fragments cannot overflow the stack). A
//! document over [`MAX_EXPANDED_FIELDS`] is refused before validation sees it.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Positioned};

/// The most fields a document may select with its fragments expanded: the complexity
/// limit, which counts one per field, would refuse more anyway.
pub const MAX_EXPANDED_FIELDS: u64 = super::MAX_COMPLEXITY as u64;

/// The message of the refusal.
pub fn too_large_message() -> String {
    format!(
        "the query is too complex: it selects more than {MAX_EXPANDED_FIELDS} fields once \
         its fragments are expanded"
    )
}

/// A selection set reduced to what its expansion costs: its own fields (at any depth)
/// and the fragments it spreads, once per spread.
#[derive(Default)]
struct Flat<'a> {
    fields: u64,
    spreads: Vec<&'a Name>,
}

/// Gathers `set` into `flat`. Recursion follows the nesting of the text, which the
/// nesting guard has already bounded.
fn flatten<'a>(set: &'a Positioned<SelectionSet>, flat: &mut Flat<'a>) {
    for item in &set.node.items {
        match &item.node {
            Selection::Field(field) => {
                flat.fields += 1;
                flatten(&field.node.selection_set, flat);
            }
            Selection::FragmentSpread(spread) => {
                flat.spreads.push(&spread.node.fragment_name.node);
            }
            Selection::InlineFragment(inline) => flatten(&inline.node.selection_set, flat),
        }
    }
}

/// Whether some operation of `document` selects more than `limit` fields with its
/// fragments expanded. Unknown fragments count nothing and a cycle is cut where it
/// closes: validation refuses both with its own message.
pub fn expansion_exceeds(document: &ExecutableDocument, limit: u64) -> bool {
    let flats: HashMap<&Name, Flat<'_>> = document
        .fragments
        .iter()
        .map(|(name, fragment)| {
            let mut flat = Flat::default();
            flatten(&fragment.node.selection_set, &mut flat);
            (name, flat)
        })
        .collect();
    let mut sizes = Sizes {
        flats: &flats,
        done: HashMap::with_capacity(flats.len()),
        limit,
    };
    document.operations.iter().any(|(_, operation)| {
        let mut flat = Flat::default();
        flatten(&operation.node.selection_set, &mut flat);
        sizes.of_flat(&flat) > limit
    })
}

/// Memoised expanded sizes of fragments, saturating just above the limit.
struct Sizes<'d, 'a> {
    flats: &'d HashMap<&'a Name, Flat<'a>>,
    done: HashMap<&'a Name, u64>,
    limit: u64,
}

impl<'a> Sizes<'_, 'a> {
    /// The expanded size of a selection set.
    fn of_flat(&mut self, flat: &Flat<'a>) -> u64 {
        let mut total = flat.fields;
        for name in &flat.spreads {
            total = total.saturating_add(self.of_fragment(name));
            if total > self.limit {
                break;
            }
        }
        total.min(self.limit + 1)
    }

    /// The expanded size of the fragment `root`, computed depth-first with an explicit
    /// stack; a fragment on the stack counts 0 where it is spread again (a cycle).
    fn of_fragment(&mut self, root: &'a Name) -> u64 {
        if let Some(size) = self.done.get(root) {
            return *size;
        }
        let mut on_stack: HashMap<&'a Name, ()> = HashMap::new();
        // Each frame: a fragment and how many of its spreads have been added.
        let mut stack: Vec<(&'a Name, usize, u64)> = Vec::new();
        if let Some(flat) = self.flats.get(root) {
            on_stack.insert(root, ());
            stack.push((root, 0, flat.fields));
        } else {
            return 0;
        }
        while let Some(&mut (name, ref mut next, ref mut total)) = stack.last_mut() {
            let flat = &self.flats[name];
            if *next < flat.spreads.len() && *total <= self.limit {
                let child = flat.spreads[*next];
                *next += 1;
                if let Some(size) = self.done.get(child) {
                    *total = total.saturating_add(*size);
                } else if let Some(child_flat) = self.flats.get(child)
                    && !on_stack.contains_key(child)
                {
                    on_stack.insert(child, ());
                    stack.push((child, 0, child_flat.fields));
                }
                continue;
            }
            let size = (*total).min(self.limit + 1);
            stack.pop();
            on_stack.remove(name);
            self.done.insert(name, size);
            if let Some((_, _, parent_total)) = stack.last_mut() {
                *parent_total = parent_total.saturating_add(size);
            }
        }
        self.done[root]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exceeds(query: &str, limit: u64) -> bool {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        expansion_exceeds(&document, limit)
    }

    /// `{...F0} fragment F0 on Query{...F1 ...F1} … fragment F<n> on Query{me{name}}`.
    fn doubling(levels: usize) -> String {
        let mut query = String::from("{...F0}");
        for level in 0..levels {
            query.push_str(&format!(
                " fragment F{level} on Query{{...F{next} ...F{next}}}",
                next = level + 1
            ));
        }
        query.push_str(&format!(" fragment F{levels} on Query{{me{{name}}}}"));
        query
    }

    #[test]
    fn counts_fields_with_fragments_expanded() {
        // 2 fields per leaf, 2^3 leaves.
        assert!(!exceeds(&doubling(3), 16));
        assert!(exceeds(&doubling(3), 15));
        assert!(!exceeds("{ a { b c ... on X { d } } }", 4));
        assert!(exceeds("{ a { b c ... on X { d } } }", 3));
    }

    #[test]
    fn exponential_documents_are_refused_at_once() {
        let started = std::time::Instant::now();
        assert!(exceeds(&doubling(60), MAX_EXPANDED_FIELDS));
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
    }

    #[test]
    fn long_chains_and_cycles_neither_overflow_nor_loop() {
        let mut chain = String::from("{...F0}");
        for level in 0..20_000 {
            chain.push_str(&format!(
                " fragment F{level} on Query{{a ...F{}}}",
                level + 1
            ));
        }
        assert!(exceeds(&chain, MAX_EXPANDED_FIELDS));
        assert!(!exceeds(
            "{...A} fragment A on Query{a ...B} fragment B on Query{b ...A}",
            2
        ));
        assert!(!exceeds("{...Missing b}", 1));
    }
}
