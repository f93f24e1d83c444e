//! The expense taxonomy: one table, slug → title → ANZSIC group → expense division.
//!
//! Why one table: the slug is what the server stores and the wire carries
//! (`enrich.category`, `PUT …/category {"category":"<slug>"}`), the ANZSIC group is
//! what the Connect API contract puts in `subClass{code,title}`, and the title is what
//! people read. Keeping the three in one row means they can never drift apart.
//!
//! Why here, in the contract crate: the server (through `tally-classify`) accepts
//! only these slugs, and the widget offers exactly these in its re-categorise menu.
//! Both read this table, so there is no second copy to keep in step.
//!
//! Where a kind of spending could sit in two rows, the rule is written here, once:
//! - a category says what was bought, not how it was paid: streaming video and music
//!   (Netflix, Spotify) are `entertainment` like a cinema ticket, a gym membership is
//!   `health`; `subscriptions-software` is software, apps and cloud services;
//! - laundries and dry cleaners are `other`: its ANZSIC group 953, Other Personal
//!   Services, holds class 9531 Laundry and Dry-Cleaning Services (`personal-care` is
//!   951, hairdressing and beauty);
//! - tobacconists and vape shops are `alcohol`, whose division is "Alcoholic beverages
//!   and tobacco".
//!
//! The order of the table is also the classifier's model label order
//! (`tally-classify`'s `model.rs`), so append, never reorder, without retraining.

use serde::Serialize;

/// One expense category.
#[derive(Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    /// Stable identifier, kebab-case (`groceries`, `personal-care`).
    pub slug: &'static str,
    /// Human title.
    pub title: &'static str,
    /// ANZSIC 2006 group code (3 digits), the contract's `subClass.code`.
    pub anzsic_code: &'static str,
    /// ANZSIC 2006 group title, the contract's `subClass.title`.
    pub anzsic_title: &'static str,
    /// The expense division the expenses summary groups it under (the contract's
    /// "Food and non-alcoholic beverages, Transport, … Other payment").
    pub division: &'static str,
}

/// Writes the table out twice from its one text: every column ([`all_categories`], for
/// the server), and slug and title alone ([`TITLES`], for the widget). The widget
/// needs only those two, and a static table ships whole: read through
/// [`all_categories`], the ANZSIC columns and divisions would go into the wasm too.
macro_rules! categories {
    ($($slug:literal, $title:literal, $code:literal, $atitle:literal, $division:literal;)*) => {
        static CATEGORIES: &[Category] = &[
            $(Category { slug: $slug, title: $title, anzsic_code: $code, anzsic_title: $atitle, division: $division },)*
        ];
        /// `(slug, title)` of every category, in table order: what a user picks from. A
        /// `static`, not a `const`: the widget's release wasm then holds it once (as a
        /// `const` it was 700 bytes larger, one copy per use).
        pub static TITLES: &[(&str, &str)] = &[$(($slug, $title),)*];
    };
}

categories! {
    "groceries", "Groceries", "411", "Supermarket and Grocery Stores", "Food and non-alcoholic beverages";
    "dining", "Dining out", "451", "Cafes, Restaurants and Takeaway Food Services", "Restaurants, cafes and takeaway";
    "alcohol", "Alcohol", "412", "Specialised Food Retailing", "Alcoholic beverages and tobacco";
    "fuel", "Fuel", "400", "Fuel Retailing", "Transport";
    "transport", "Transport", "462", "Road Passenger Transport", "Transport";
    "travel", "Travel", "490", "Air and Space Transport", "Recreation and travel";
    "utilities", "Utilities", "264", "On Selling Electricity and Electricity Market Operation", "Housing and utilities";
    "telecommunications", "Telecommunications", "580", "Telecommunications Services", "Communication";
    "entertainment", "Entertainment", "913", "Amusement and Other Recreation Activities", "Recreation and travel";
    "health", "Health and fitness", "851", "Medical Services", "Health";
    "insurance", "Insurance", "632", "General Insurance", "Insurance and financial services";
    "shopping", "Shopping", "426", "Department Stores", "Clothing and household goods";
    "home", "Home and garden", "423", "Hardware, Building and Garden Supplies Retailing", "Clothing and household goods";
    "personal-care", "Personal care", "951", "Personal Care Services", "Personal care";
    "education", "Education", "821", "Adult, Community and Other Education", "Education";
    "government", "Government", "751", "Central Government Administration", "Other payment";
    "housing", "Housing", "671", "Property Operators", "Housing and utilities";
    "charity", "Charity and donations", "955", "Civic, Professional and Other Interest Group Services", "Other payment";
    "subscriptions-software", "Software and subscriptions", "542", "Software Publishing", "Communication";
    "pets", "Pets", "697", "Veterinary Services", "Recreation and travel";
    "other", "Other", "953", "Other Personal Services", "Other payment";
}

/// Every category, in table order.
pub fn all_categories() -> &'static [Category] {
    CATEGORIES
}

/// The category with this slug, if any.
pub fn category_by_slug(slug: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.slug == slug)
}

/// The title of a category's slug, if it is one (from [`TITLES`], so a wasm caller
/// ships slugs and titles only).
pub fn title_of(slug: &str) -> Option<&'static str> {
    TITLES.iter().find(|(s, _)| *s == slug).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn slugs_are_unique_kebab_case_and_codes_are_anzsic_groups() {
        let mut seen = HashSet::new();
        for c in all_categories() {
            assert!(seen.insert(c.slug), "duplicate slug {}", c.slug);
            assert!(c.slug.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'));
            assert_eq!(c.anzsic_code.len(), 3, "{}", c.slug);
            assert!(c.anzsic_code.chars().all(|ch| ch.is_ascii_digit()));
            assert!(!c.title.is_empty() && !c.anzsic_title.is_empty());
        }
    }

    #[test]
    fn titles_are_the_table_s_slugs_and_titles_in_its_order() {
        let rows: Vec<(&str, &str)> = all_categories().iter().map(|c| (c.slug, c.title)).collect();
        assert_eq!(TITLES, rows.as_slice());
        assert_eq!(title_of("dining"), Some("Dining out"));
        assert_eq!(title_of("nope"), None);
    }

    #[test]
    fn serialises_camel_case() {
        let v = serde_json::to_value(category_by_slug("dining").unwrap()).unwrap();
        assert_eq!(v["anzsicCode"], "451");
        assert_eq!(v["slug"], "dining");
    }
}
