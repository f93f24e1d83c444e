//! The widget may not depend on this crate, so it carries its own copy of the taxonomy
//! (`src/expenses/categories.rs`) for the re-categorise menu. The server accepts only
//! this crate's slugs, so the two lists must be the same, in the same order, with the
//! same titles: this test includes the widget's file and compares.

#[allow(dead_code)]
#[path = "../../../src/expenses/categories.rs"]
mod widget_categories;

#[test]
fn the_widget_offers_exactly_the_categories_the_server_accepts() {
    let ours: Vec<(&str, &str)> = tally_classify::all_categories().iter().map(|c| (c.slug, c.title)).collect();
    assert_eq!(widget_categories::TAXONOMY, ours.as_slice());
}

#[test]
fn the_widget_groups_never_collide_with_a_category() {
    for (_, slug, _) in widget_categories::CLASS_GROUPS {
        assert!(tally_classify::category_by_slug(slug).is_none(), "{slug} is both a group and a category");
    }
}
