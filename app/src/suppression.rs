//! Complementary suppression for breakdowns by perspective (votes, consultation results).
//!
//! Hiding a small group is not enough when the total is shown: the total minus the groups
//! shown gives the hidden group by subtraction, and a group's complement is recovered the
//! same way. So a group is shown only when it and everyone outside it are each at least
//! `MIN_GROUP`; groups that are too small are merged, and when the merged rest would still
//! be too small, more groups are merged into it (smallest first) until no group can be
//! recovered by subtraction. People with several perspectives would let two overlapping
//! groups be subtracted from each other, so groups are first made disjoint.
//!
//! Pure functions, no I/O: tests below.

/// No group in a breakdown, and no group's complement, may describe fewer people than this.
pub const MIN_GROUP: usize = 5;

/// The label of the cell of people who declared more than one perspective.
pub const SEVERAL: &str = "More than one perspective";

/// Which of these disjoint cells (by size) may be shown on their own: each shown cell has at
/// least `MIN_GROUP` people and so has everyone outside it, and the cells not shown add up to
/// none or to at least `MIN_GROUP` (so subtracting the shown ones from the total reveals no
/// small group). Cells not shown are only ever shown merged, if at all.
pub fn shown_cells(sizes: &[usize]) -> Vec<bool> {
    let mut shown: Vec<bool> = sizes.iter().map(|&n| n >= MIN_GROUP).collect();
    let hidden = |shown: &[bool]| sizes.iter().zip(shown).filter(|(_, s)| !**s).map(|(n, _)| n).sum::<usize>();
    // The rest would be a small group recoverable by subtraction: merge the smallest shown
    // cell into it (the later one on ties, so the order given decides, not chance).
    while (1..MIN_GROUP).contains(&hidden(&shown)) {
        let Some(smallest) = (0..sizes.len()).filter(|&i| shown[i]).min_by_key(|&i| (sizes[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        shown[smallest] = false;
    }
    // One cell that is everyone has an empty complement: that is no breakdown at all.
    if shown.iter().filter(|s| **s).count() == 1 && hidden(&shown) == 0 {
        shown.iter_mut().for_each(|s| *s = false);
    }
    shown
}

/// Turns possibly overlapping groups (a person may declare several perspectives) into
/// disjoint cells: a person in exactly one group stays in it, a person in several goes to
/// one cell of their own kind (`SEVERAL`). Empty cells are dropped; order is kept, with the
/// `SEVERAL` cell last. Ids within a cell are sorted and unique.
pub fn disjoint<T: Ord + Clone>(groups: Vec<(String, Vec<T>)>) -> Vec<(String, Vec<T>)> {
    let mut all: Vec<T> = groups.iter().flat_map(|(_, g)| g.iter().cloned()).collect();
    all.sort();
    // Counts per person (sorted runs): more than one means several perspectives.
    let mut several: Vec<T> = Vec::new();
    for w in all.windows(2) {
        if w[0] == w[1] && several.last() != Some(&w[0]) {
            several.push(w[0].clone());
        }
    }
    let mut out: Vec<(String, Vec<T>)> = groups
        .into_iter()
        .map(|(label, mut ids)| {
            ids.sort();
            ids.dedup();
            ids.retain(|id| several.binary_search(id).is_err());
            (label, ids)
        })
        .collect();
    out.push((SEVERAL.to_string(), several));
    out.retain(|(_, ids)| !ids.is_empty());
    out
}

/// The rows a breakdown may show, from disjoint cells: the cells that may be shown on their
/// own, then (when there are any of those) everyone else together in one row, which is
/// then large enough too. Nothing at all when no cell can be shown safely.
pub fn rows<T: Clone>(cells: Vec<(String, Vec<T>)>) -> Vec<(String, Vec<T>)> {
    let shown = shown_cells(&cells.iter().map(|(_, ids)| ids.len()).collect::<Vec<_>>());
    if !shown.contains(&true) {
        return Vec::new();
    }
    let (mut out, mut rest_labels, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for ((label, ids), show) in cells.into_iter().zip(shown) {
        if show {
            out.push((label, ids));
        } else if !ids.is_empty() {
            rest_labels.push(label);
            rest.extend(ids);
        }
    }
    if !rest.is_empty() {
        out.push((format!("Other perspectives together ({})", rest_labels.join(", ")), rest));
    }
    out
}

/// `rows` over cells known only by their sizes (a count per cell from SQL), as `rows`
/// merges them: each row's label and size. (A `Vec<()>` holds a count without allocating.)
pub fn count_rows(cells: Vec<(String, usize)>) -> Vec<(String, usize)> {
    rows(cells.into_iter().map(|(label, n)| (label, vec![(); n])).collect())
        .into_iter()
        .map(|(label, people)| (label, people.len()))
        .collect()
}

/// `rows` over possibly overlapping groups, with how many people are left out (everyone
/// when nothing can be shown, otherwise nobody: a row left out would be recoverable).
pub fn breakdown<T: Ord + Clone>(groups: Vec<(String, Vec<T>)>) -> (Vec<(String, Vec<T>)>, i64) {
    let cells = disjoint(groups);
    let total: usize = cells.iter().map(|(_, ids)| ids.len()).sum();
    let rows = rows(cells);
    let shown: usize = rows.iter().map(|(_, ids)| ids.len()).sum();
    (rows, (total - shown) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(l: &str, ids: std::ops::Range<i64>) -> (String, Vec<i64>) {
        (l.to_string(), ids.collect())
    }

    #[test]
    fn counts_are_merged_as_people_are() {
        for sizes in [vec![5, 1], vec![5, 5, 2], vec![6, 3, 3], vec![2, 2], vec![7, 0, 5], vec![]] {
            let labelled = |n: &[usize]| n.iter().enumerate().map(|(i, &n)| (format!("c{i}"), n)).collect::<Vec<_>>();
            let people: Vec<(String, Vec<usize>)> =
                labelled(&sizes).into_iter().map(|(l, n)| (l, (0..n).collect())).collect();
            let by_people: Vec<(String, usize)> = rows(people).into_iter().map(|(l, p)| (l, p.len())).collect();
            assert_eq!(count_rows(labelled(&sizes)), by_people, "{sizes:?}");
        }
    }

    #[test]
    fn a_group_is_shown_only_when_it_and_its_complement_are_large_enough() {
        // The finding: 5 service users and 1 commissioner. Showing the 5 reveals the 1.
        assert_eq!(shown_cells(&[5, 1]), vec![false, false]);
        assert!(rows(vec![g("Service user", 0..5), g("Commissioner", 5..6)]).is_empty());
        // Everyone in one group: its complement is empty, so no breakdown.
        assert_eq!(shown_cells(&[9]), vec![false]);
        assert_eq!(shown_cells(&[5, 5]), vec![true, true]);
        assert_eq!(shown_cells(&[]), Vec::<bool>::new());
    }

    #[test]
    fn a_small_rest_takes_in_the_smallest_group_until_it_is_large_enough() {
        // 6 + 5 + 2: hiding the 2 alone lets 13 - 6 - 5 reveal them; merge the 5 into them.
        assert_eq!(shown_cells(&[6, 5, 2]), vec![true, false, false]);
        let r = rows(vec![g("Service user", 0..6), g("Carer", 10..15), g("Commissioner", 20..22)]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].0, "Service user");
        assert_eq!(r[1].0, "Other perspectives together (Carer, Commissioner)");
        assert_eq!(r[1].1.len(), 7);
        // Small groups that together reach 5 are shown merged, the large ones alone.
        assert_eq!(shown_cells(&[7, 3, 2]), vec![true, false, false]);
        // Two large groups and a lone person: the lone person must not be recoverable.
        assert_eq!(shown_cells(&[5, 5, 1]), vec![true, false, false]);
        // Ties merge the later group, so the result does not depend on chance.
        assert_eq!(shown_cells(&[6, 6, 1]), vec![true, false, false]);
        // 5 + 1 rest, with another large group left: fine.
        assert_eq!(shown_cells(&[8, 5, 3, 2]), vec![true, true, false, false]);
    }

    /// Whatever the sizes, no shown row, no complement of one, and no remainder after
    /// subtracting every shown row from the total, is a group of 1 to 4 people.
    #[test]
    fn nothing_small_can_be_recovered_by_subtraction_for_any_sizes() {
        let mut sizes = vec![0usize; 4];
        let mut checked = 0;
        loop {
            let shown = shown_cells(&sizes);
            let total: usize = sizes.iter().sum();
            let shown_sizes: Vec<usize> = sizes.iter().zip(&shown).filter(|(_, s)| **s).map(|(n, _)| *n).collect();
            let small = |n: usize| (1..MIN_GROUP).contains(&n);
            for &n in &shown_sizes {
                assert!(!small(n) && !small(total - n) && total - n > 0, "{sizes:?} → {shown:?}");
            }
            // Any non-empty set of shown rows subtracted from the total.
            for mask in 1..(1u32 << shown_sizes.len()) {
                let sub: usize =
                    shown_sizes.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| n).sum();
                assert!(!small(total - sub), "{sizes:?} → {shown:?}: {total} - {sub}");
            }
            checked += 1;
            // Next combination of sizes 0..=11 in four cells.
            let mut i = 0;
            while i < sizes.len() && sizes[i] == 11 {
                sizes[i] = 0;
                i += 1;
            }
            if i == sizes.len() {
                break;
            }
            sizes[i] += 1;
        }
        assert_eq!(checked, 12usize.pow(4));
    }

    #[test]
    fn people_with_several_perspectives_make_their_own_cell() {
        let cells = disjoint(vec![g("Carer", 0..3), g("Other", 1..4), g("Practitioner", 10..10)]);
        assert_eq!(cells, vec![g("Carer", 0..1), g("Other", 3..4), (SEVERAL.to_string(), vec![1, 2])]);
        // Overlapping groups could be subtracted from each other: with cells they cannot.
        let (rows, left_out) = breakdown(vec![g("Service user", 0..6), g("Carer", 0..6), g("Commissioner", 20..26)]);
        assert_eq!(rows, vec![g("Commissioner", 20..26), (SEVERAL.to_string(), (0..6).collect())]);
        assert_eq!(left_out, 0);
        let (rows, left_out) = breakdown(vec![g("Carer", 0..3), g("Other", 1..4)]);
        assert!(rows.is_empty());
        assert_eq!(left_out, 4, "the same person in two groups counts once");
    }
}
