//! Items grouped by a key, without a vector per group.
//!
//! The checks group a release's facts by concept, period or row: hundreds of
//! groups of one or two facts each. A map from key to `Vec` made an
//! allocation per group (and another as it grew); [`Groups`] keeps every
//! item in one list, each group a chain through it, in the order the items
//! came.

use std::hash::Hash;

use rustc_hash::FxHashMap;

/// The end of a chain.
const END: usize = usize::MAX;

/// Items by key: [`Groups::push`] appends to a key's group, and a group
/// gives its items back in the order they were pushed.
pub struct Groups<K, T> {
    /// Per key, the first and the last item of its group.
    heads: FxHashMap<K, (usize, usize)>,
    /// Every item, with the next item of its group.
    items: Vec<(T, usize)>,
}

impl<K: Hash + Eq, T> Groups<K, T> {
    /// Room for `n` items (and as many keys) without growing.
    pub fn with_capacity(n: usize) -> Self {
        Groups {
            heads: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            items: Vec::with_capacity(n),
        }
    }

    /// Appends `item` to the group of `key`.
    pub fn push(&mut self, key: K, item: T) {
        let at = self.items.len();
        self.items.push((item, END));
        match self.heads.get_mut(&key) {
            Some((_, last)) => {
                self.items[*last].1 = at;
                *last = at;
            }
            None => {
                self.heads.insert(key, (at, at));
            }
        }
    }

    /// Every group's key with its items, groups in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, Chain<'_, T>)> {
        self.heads.iter().map(|(k, &(first, _))| {
            (
                k,
                Chain {
                    items: &self.items,
                    at: first,
                },
            )
        })
    }
}

/// The items of one group, in the order they were pushed.
#[derive(Clone, Copy)]
pub struct Chain<'g, T> {
    items: &'g [(T, usize)],
    at: usize,
}

impl<'g, T> Iterator for Chain<'g, T> {
    type Item = &'g T;

    fn next(&mut self) -> Option<&'g T> {
        let (item, next) = self.items.get(self.at)?;
        self.at = *next;
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    proptest::proptest! {
        /// Every group holds its key's items in the order they were
        /// pushed, as a map of vectors does.
        #[test]
        fn groups_are_what_a_map_of_vectors_holds(
            pushes in proptest::collection::vec((0u8..12, proptest::num::u16::ANY), 0..200),
        ) {
            let mut groups = Groups::with_capacity(pushes.len() / 2);
            let mut expected: BTreeMap<u8, Vec<u16>> = BTreeMap::new();
            for &(k, v) in &pushes {
                groups.push(k, v);
                expected.entry(k).or_default().push(v);
            }
            let mut all: BTreeMap<u8, Vec<u16>> = BTreeMap::new();
            for (k, chain) in groups.iter() {
                all.insert(*k, chain.copied().collect());
            }
            proptest::prop_assert_eq!(all, expected);
        }
    }
}
