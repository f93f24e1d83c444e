//! `cargo xtask brands`: rebuild `crates/classify/data/brands.tsv`, the world brand
//! table, from OpenStreetMap's name-suggestion-index (NSI, BSD-3-Clause).
//!
//! Why a generated table: the hand-made directory knows ~900 Australian merchants,
//! and on foreign statements the model alone guessed (47.9% right on the hand-written
//! held-out set). NSI lists ~19,000 brands with the names they trade under, the
//! countries they trade in and OSM tags that say what they sell.
//!
//! - The package is fetched with npm (`npm pack`) at the pinned `VERSION`, and its
//!   sha512 integrity must equal `INTEGRITY` or nothing is written. Nothing downloads
//!   at build or run time: the output is committed, like the model.
//! - Each `brands/<key>/<value>` tree of NSI maps to one of our categories through
//!   `osm::MAPPING`, the one reviewed table (shared with `cargo xtask words`); trees not in it (banks, ATMs, parcel lockers,
//!   vending machines, car dealers, …) are left out, since a statement line from them
//!   is not a spend of that kind or the category would be a guess.
//! - NSI's `operators/<key>/<value>` trees name who runs things (`Xcel Energy` runs
//!   substations, `Kaiser Permanente` hospitals, `Wilson Parking` car parks): an operator
//!   counts with the category `MAPPING` gives the trees it appears in, by its operator
//!   names. One of two categories, a public body (it also runs parks, libraries, toilets:
//!   `City of Cape Town`), or a name a brand has is left out; charging stations count only
//!   when the operator runs nothing else mapped (energy companies, carriers and
//!   supermarkets run them on the side).
//! - Rows are `category<TAB>countries<TAB>name|alias|…`: countries are ISO codes
//!   (`gb,ie`) or `*` when NSI's `locationSet` includes a region or the world. Aliases
//!   are NSI's display name, `brand`/`name` tags and `matchNames` (case-insensitively
//!   deduplicated); accented Latin letters are folded to the ASCII banks print
//!   (`Intermarché` → `Intermarche`, `Müller` → `Mueller` and `Muller`), and names in
//!   other scripts are left out (folding them would be a guess).
//! - Output is sorted and deduplicated, so a rerun is byte-for-byte the same.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::cmd::{root, Result};
use crate::osm::{ascii_spellings, commented, fetch, read_member, MAPPING};

/// The pinned name-suggestion-index release.
pub const VERSION: &str = "8.0.20260918";
/// Its tarball's sha512 integrity, as the npm registry publishes it.
pub const INTEGRITY: &str =
    "sha512-g09kxye3aswAETIa//gA56MjonmjcyXCzdIwlDhpBVAwLKXOUJA1QZL5eE4ZRstTFFx9I2o9eARONUXVC72SAw==";

/// NSI `transit/route/<mode>` trees: public transport networks, whose fares, passes and
/// top-ups are `transport` (`RATP`, `Metro de Madrid`, `Dublin Bus`, `TMB`). Only the
/// network's names are taken (`network`, `network:short`), never its operator's, which are
/// also councils, utilities and holding companies (`Stadtwerke München` runs Munich's buses),
/// nor its match names, which are often the towns it serves. Many networks are named after
/// their region (`Limburg`, `Kent`, `Twente`), so a name is kept only when it is an acronym
/// (`RATP`, `HVV`) or has a word of transport in it (`Coffs Harbour` is a town first); a
/// network placed only by a point or region has no country and is left out; and a name that
/// a shop brand in the same country also has (`Metro`, `MAX`) is left to the shop.
pub const TRANSIT: &[&str] = &["bus", "train", "subway", "tram", "light_rail", "ferry", "trolleybus"];

/// Words that say a network name is about getting about (checked lower-case, inside words).
const TRANSIT_WORDS: &[&str] = &[
    "bus", "metro", "rail", "tram", "train", "ferry", "ferries", "link", "transit", "transport", "verkehr", "trasport",
    "vervoer", "underground", "subway", "overground", "coach", "express", "trein", "treno", "tren", "ferro", "mobil",
];

/// Whether a transit network's name is specific enough to be evidence.
fn transit_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let letters: Vec<char> = name.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let acronym = name.split_whitespace().count() == 1
        && (3..=6).contains(&letters.len())
        && letters.iter().all(|c| c.is_ascii_uppercase());
    let worded = TRANSIT_WORDS.iter().any(|w| lower.contains(w));
    acronym || worded
}

/// Where the table is written.
const OUT: &str = "crates/classify/data/brands.tsv";

pub fn run() -> Result {
    let dir = root().join("target/nsi");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tarball = fetch(&dir, "name-suggestion-index", VERSION, INTEGRITY)?;
    let nsi = read_member(&tarball, "package/dist/json/nsi.min.json")?;
    let licence = read_member(&tarball, "package/LICENSE.md")?;
    let nsi: Value = serde_json::from_slice(&nsi).map_err(|e| format!("nsi.min.json: {e}"))?;
    let licence = String::from_utf8_lossy(&licence);
    let table = transform(&nsi, &licence)?;
    let out = root().join(OUT);
    std::fs::write(&out, &table).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {OUT} ({} bytes, {} brands)", table.len(), table.lines().filter(|l| !l.starts_with('#')).count());
    Ok(())
}

/// The table from NSI's `nsi.json`: a header (source, version, licence), then one
/// sorted row per brand.
pub fn transform(nsi: &Value, licence: &str) -> Result<String> {
    let version = nsi["_meta"]["version"].as_str().unwrap_or_default();
    if version != VERSION {
        return Err(format!("nsi.json says version {version}, expected {VERSION}"));
    }
    let trees = nsi["nsi"].as_object().ok_or("nsi.json has no `nsi` object")?;
    let mapping: BTreeMap<&str, &str> = MAPPING.iter().copied().collect();
    // (category, countries, name) → aliases; BTree keeps the output order stable.
    let mut rows: BTreeSet<(String, String, String)> = BTreeSet::new();
    // Shop brands' names by country, to leave them to the shop (see `TRANSIT`).
    let mut shop_names: BTreeSet<(String, String)> = BTreeSet::new();
    let mut transit_rows: Vec<(String, Vec<String>)> = Vec::new();
    // Every brand's names (mapped or not) by country, to leave an operator to its brand.
    let mut brand_names: BTreeSet<(String, String)> = BTreeSet::new();
    let mut operators: BTreeMap<String, Operator> = BTreeMap::new();
    // Names of rows that are not departments, with their category; and the departments.
    let mut main_names: BTreeSet<(String, &str)> = BTreeSet::new();
    let mut departments: Vec<(&str, String, Vec<String>, &str, &Value)> = Vec::new();
    for (tree, body) in trees {
        if let Some(tag) = tree.strip_prefix("operators/") {
            for item in body["items"].as_array().into_iter().flatten() {
                collect_operator(&mut operators, tag, item, true);
            }
            continue;
        }
        // Who runs a transit route, station or stop (`DB Fernverkehr`, `Keolis Rennes`),
        // by its `operator` tags only: a transit item's other names are its network's
        // and its towns'.
        if let Some(tag) = tree.strip_prefix("transit/").filter(|t| *t != "route/walking_bus") {
            let tag = if tag.starts_with("public_transport/") { "public_transport/station" } else { tag };
            for item in body["items"].as_array().into_iter().flatten() {
                collect_operator(&mut operators, tag, item, false);
            }
        }
        if tree.starts_with("brands/") {
            for item in body["items"].as_array().into_iter().flatten() {
                let countries = countries(&item["locationSet"]);
                let names = ["displayName"].iter().map(|k| &item[k]).chain(["brand", "name"].iter().map(|k| &item["tags"][k]));
                for a in names.filter_map(Value::as_str).flat_map(aliases) {
                    brand_names.extend(countries.split(',').map(|c| (c.to_string(), squashed(&a))));
                }
            }
        }
        let transit = tree.strip_prefix("transit/route/").is_some_and(|mode| TRANSIT.contains(&mode));
        let Some(slug) = tree.strip_prefix("brands/").and_then(|t| mapping.get(t)).copied().or(transit.then_some("transport"))
        else {
            continue;
        };
        for item in body["items"].as_array().into_iter().flatten() {
            let tags: &[&str] =
                if transit { &["network", "network:short"] } else { &["brand", "brand:en", "name", "name:en"] };
            let written = std::iter::once(&item["displayName"]).chain(tags.iter().map(|t| &item["tags"][t]));
            let matches = item["matchNames"].as_array().into_iter().flatten().filter(|_| !transit);
            let names = names_of(written.chain(matches).filter_map(Value::as_str));
            if names.is_empty() {
                continue;
            }
            let countries = countries(&item["locationSet"]);
            if transit {
                if countries != "*" {
                    transit_rows.push((countries, names));
                }
                continue;
            }
            for c in countries.split(',') {
                shop_names.extend(names.iter().map(|n| (c.to_string(), squashed(n))));
            }
            match department(item) {
                Some(brand) => departments.push((slug, countries, names, brand, item)),
                None => {
                    main_names.extend(names.iter().map(|n| (squashed(n), slug)));
                    rows.insert((slug.to_string(), countries, names.join("|")));
                }
            }
        }
    }
    // A brand's department of another kind keeps only its own names (see `department`).
    for (slug, countries, names, brand, item) in departments {
        let key = squashed(brand);
        let elsewhere = main_names.range((key.clone(), "")..).take_while(|(b, _)| *b == key).any(|(_, s)| *s != slug);
        let names = if elsewhere {
            names_of(["name", "name:en"].iter().filter_map(|t| item["tags"][t].as_str()))
        } else {
            names
        };
        // Marked with its brand, so the evaluation holds it out with the brand.
        let kind = aliases(brand).first().map(|of| format!("\tdepartment of {of}")).unwrap_or_default();
        if !names.is_empty() {
            rows.insert((slug.to_string(), countries, format!("{}{kind}", names.join("|"))));
        }
    }
    for (countries, names) in transit_rows {
        let shop = |n: &str| {
            let s = squashed(n);
            shop_names.contains(&("*".to_string(), s.clone())) || countries.split(',').any(|c| shop_names.contains(&(c.to_string(), s.clone())))
        };
        let names: Vec<String> = names.into_iter().filter(|n| transit_name(n) && !shop(n)).collect();
        if !names.is_empty() {
            rows.insert(("transport".to_string(), countries, names.join("|")));
        }
    }
    for op in operators.into_values() {
        let brand = op.names.iter().any(|n| {
            let s = squashed(n);
            brand_names.contains(&("*".to_string(), s.clone()))
                || op.countries.iter().any(|c| brand_names.contains(&(c.clone(), s.clone())))
                || (op.countries.contains("*") && brand_names.iter().any(|(_, b)| *b == s))
        });
        if let (Some(slug), false, false) = (op.category(&mapping), brand, op.names.is_empty()) {
            let countries = if op.countries.contains("*") { "*".to_string() } else { op.countries.iter().cloned().collect::<Vec<_>>().join(",") };
            rows.insert((slug.to_string(), countries, format!("{}\toperator", op.names.join("|"))));
        }
    }
    let mut out = String::new();
    out.push_str(&format!(
        "# World brand table for tally-classify, generated by `cargo xtask brands` from\n\
         # OpenStreetMap's name-suggestion-index {VERSION} (npm name-suggestion-index@{VERSION},\n\
         # {INTEGRITY}). Do not edit: change the mapping in xtask/src/osm.rs and rerun.\n\
         # category\tcountries (ISO codes, * = a region or the world)\tdisplay name|aliases (ASCII only)\n\
         # [\toperator: from NSI's operators trees, who runs such places rather than a brand of them]\n\
         # [\tdepartment of BRAND: a brand's department named after it (IKEA Cafe, Safeway Pharmacy)]\n#\n"
    ));
    out.push_str(&commented(licence));
    for (slug, countries, names) in rows {
        out.push_str(&format!("{slug}\t{countries}\t{names}\n"));
    }
    Ok(out)
}

/// Operator trees (`operators/<key>/<value>`) whose operators are public bodies when they
/// also run one of these: councils and states run parking, clinics and schools as well,
/// and a payment to them is rates, fines or fees, not a spend of the tree's kind.
const PUBLIC: &[&str] = &[
    "amenity/library", "leisure/park", "amenity/toilets", "amenity/community_centre", "amenity/police",
    "amenity/fire_station", "amenity/social_facility", "amenity/recycling", "amenity/waste_disposal",
    "amenity/waste_transfer_station", "amenity/drinking_water", "highway/street_lamp", "leisure/pitch",
    "amenity/prison", "boundary/protected_area",
];

/// Words that make an operator's name a public body's (`Klickitat County`, `Salford City
/// Council`, `Gemeente Utrecht`, `City of Montebello`), in the languages of the statements
/// Tally reads.
const PUBLIC_WORDS: &[&str] = &[
    "COUNTY", "COUNCIL", "MUNICIPALITY", "MUNICIPAL", "BOROUGH", "GOVERNMENT", "MINISTRY", "GEMEINDE", "STADT",
    "LANDKREIS", "COMUNE", "PROVINCIA", "AYUNTAMIENTO", "CONCELLO", "AJUNTAMENT", "DIPUTACION", "GEMEENTE", "PROVINCIE",
    "COMMUNE", "MAIRIE", "DEPARTEMENT", "PREFEITURA", "MUNICIPIO", "CITY OF", "TOWN OF", "VILLAGE OF", "STATE OF",
    "DEPARTMENT OF", "VILLE DE",
];

/// One organisation of NSI's `operators/*` trees (whoever runs a grid, a hospital, a car
/// park, a school), with every tree it appears in.
#[derive(Default)]
struct Operator {
    names: Vec<String>,
    countries: BTreeSet<String>,
    tags: BTreeSet<String>,
}

impl Operator {
    /// Its category: the one `MAPPING` gives its trees. Charging stations are a side line
    /// of energy companies, carriers and supermarkets, so they count only when nothing
    /// else maps; an operator of two categories, a public body (`PUBLIC`) outside
    /// government, or one that runs nothing mapped, has none.
    fn category(&self, mapping: &BTreeMap<&str, &str>) -> Option<&'static str> {
        let side = |t: &str| t == "amenity/charging_station" || t == "man_made/charge_point";
        let mut slugs: BTreeSet<&str> = self.tags.iter().filter(|t| !side(t)).filter_map(|t| mapping.get(t.as_str()).copied()).collect();
        if slugs.is_empty() {
            slugs = self.tags.iter().filter_map(|t| mapping.get(t.as_str()).copied()).collect();
        }
        let [slug] = slugs.into_iter().collect::<Vec<_>>()[..] else { return None };
        let public = self.tags.iter().any(|t| PUBLIC.contains(&t.as_str()))
            || self.names.iter().any(|n| {
                let words: Vec<String> = n.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_ascii_uppercase).collect();
                let phrase = format!(" {} ", words.join(" "));
                PUBLIC_WORDS.iter().any(|p| phrase.contains(&format!(" {p} ")))
            });
        let slug = MAPPING.iter().map(|(_, s)| *s).find(|s| *s == slug)?;
        (!public || slug == "government").then_some(slug)
    }
}

/// Add one item of a tree whose items carry an `operator` tag (`tag` being what the tree
/// is), keyed by that operator's name. `all_names`: the item's display and match names
/// are the operator's too (NSI's `operators` trees), not only its `operator` tags.
fn collect_operator(operators: &mut BTreeMap<String, Operator>, tag: &str, item: &Value, all_names: bool) {
    let display = item["tags"]["operator"].as_str().or(item["displayName"].as_str().filter(|_| all_names));
    let Some(display) = display else { return };
    let op = operators.entry(display.to_lowercase()).or_default();
    op.tags.insert(tag.to_string());
    op.countries.extend(countries(&item["locationSet"]).split(',').map(str::to_string));
    let names = [&item["displayName"], &item["tags"]["operator"], &item["tags"]["operator:en"]];
    let names = names.into_iter().skip(if all_names { 0 } else { 1 });
    let matches = item["matchNames"].as_array().into_iter().flatten().filter(|_| all_names);
    for a in names_of(names.chain(matches).filter_map(Value::as_str)) {
        if !op.names.iter().any(|n| n.eq_ignore_ascii_case(&a)) {
            op.names.push(a);
        }
    }
}

/// The brand (its `brand` tag) an item is a department of, when its `name` is its `brand`
/// and more words (`Safeway Pharmacy`, `IKEA Café`, `Optique E.Leclerc`): NSI lists such a
/// department under its own tree with the brand's display and match names
/// (`Safeway`, `asda stores limited`), so on a statement reading just `SAFEWAY` the
/// pharmacy outvoted the supermarket. Where the brand has a row of another category,
/// the department keeps only its own name, which is how a statement names it.
fn department(item: &Value) -> Option<&str> {
    let brand = item["tags"]["brand"].as_str()?;
    let name = item["tags"]["name"].as_str()?;
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    let (bw, nw) = (words(brand), words(name));
    let within = !bw.is_empty() && nw.len() > bw.len() && nw.windows(bw.len()).any(|w| w == bw.as_slice());
    // More words, but also more letters (`Share Tea` is `Sharetea` spaced out).
    (within && squashed(name).len() > squashed(brand).len()).then_some(brand)
}

/// A row's names from NSI's, in order and without repeats (case aside): the names NSI
/// writes in ASCII first, then the ASCII spellings of the others (`aliases`), so a
/// brand's display name is the one it prints where it has one (`Aldi`, not `Aldi (Aldi
/// Sued group)`).
fn names_of<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let (ascii, other): (Vec<&str>, Vec<&str>) = names.partition(|n| n.is_ascii());
    let mut out: Vec<String> = Vec::new();
    for a in ascii.into_iter().chain(other).flat_map(aliases) {
        if !out.iter().any(|n| n.eq_ignore_ascii_case(&a)) {
            out.push(a);
        }
    }
    out
}

/// A name as aliases, one per ASCII spelling (`osm::ascii_spellings`: `Müller` gives
/// `Mueller` and `Muller`), whitespace collapsed (the classifier matches without regard
/// to case, and the first alias is the display name); none for a name with letters
/// that do not fold (Cyrillic, Greek, CJK).
fn aliases(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in ascii_spellings(name) {
        let a = f.split_whitespace().collect::<Vec<_>>().join(" ");
        if a.chars().any(|c| c.is_ascii_alphanumeric()) && !a.contains('|') && !a.contains('\t') && !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// A name as the classifier matches it: letters and digits, upper-case.
fn squashed(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// `locationSet.include` as sorted ISO codes, or `*` when it names anything wider
/// than a country (`001`, `150`, `eu`, a point). Sub-national features count as
/// their country (`us-ca.geojson` → `us`, `gb-eng` → `gb`).
fn countries(location: &Value) -> String {
    let mut codes = BTreeSet::new();
    for l in location["include"].as_array().into_iter().flatten() {
        let Some(s) = l.as_str() else { return "*".into() };
        let head = s.split(['-', '.']).next().unwrap_or_default().to_ascii_lowercase();
        if head.len() == 2 && head.bytes().all(|b| b.is_ascii_lowercase()) && head != "eu" && head != "un" {
            codes.insert(head);
        } else {
            return "*".into();
        }
    }
    if codes.is_empty() {
        "*".into()
    } else {
        codes.into_iter().collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The table's rows (header left out) for an NSI input.
    fn rows_of(input: &Value) -> Vec<String> {
        transform(input, "L").unwrap().lines().filter(|l| !l.starts_with('#')).map(String::from).collect()
    }

    fn nsi(items: Value) -> Value {
        json!({"_meta": {"version": VERSION}, "nsi": {"brands/shop/supermarket": {"items": items}, "brands/amenity/bank": {"items": [{"displayName": "Bank", "locationSet": {"include": ["gb"]}}]}}})
    }

    #[test]
    fn a_department_of_a_brand_of_another_kind_keeps_only_its_own_name() {
        let gb = json!({"include": ["gb"]});
        let input = json!({"_meta": {"version": VERSION}, "nsi": {
            "brands/shop/supermarket": {"items": [
                {"displayName": "Asda", "locationSet": gb, "matchNames": ["asda stores limited"], "tags": {"brand": "Asda", "name": "Asda"}},
                {"displayName": "Asda Express", "locationSet": gb, "tags": {"brand": "Asda", "name": "Asda Express"}}]},
            "brands/amenity/cafe": {"items": [
                {"displayName": "Asda", "locationSet": gb, "matchNames": ["asda stores limited"], "tags": {"brand": "Asda", "name": "Asda Cafe"}}]}}});
        let rows = rows_of(&input);
        assert!(rows.iter().any(|r| r == "dining\tgb\tAsda Cafe\tdepartment of Asda"), "{rows:?}");
        // A department of the same kind keeps the brand's names.
        assert!(rows.iter().any(|r| r == "groceries\tgb\tAsda Express|Asda\tdepartment of Asda"), "{rows:?}");
    }

    #[test]
    fn maps_trees_to_categories_and_locations_to_countries() {
        let t = transform(
            &nsi(json!([
                {"displayName": "Tesco", "locationSet": {"include": ["gb", "ie"]}, "matchNames": ["tesco superstore"], "tags": {"brand": "Tesco"}},
                {"displayName": "Spar", "locationSet": {"include": ["001"]}},
                {"displayName": "Carrefour Market", "locationSet": {"include": ["fr-metro", "it"]}},
                {"displayName": "Пятёрочка", "locationSet": {"include": ["ru"]}},
            ])),
            "BSD 3-Clause",
        )
        .unwrap();
        let rows: Vec<&str> = t.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            rows,
            ["groceries\t*\tSpar", "groceries\tfr,it\tCarrefour Market", "groceries\tgb,ie\tTesco|tesco superstore"]
        );
        assert!(t.contains(VERSION) && t.contains("# BSD 3-Clause"));
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let input = nsi(json!([{"displayName": "B", "locationSet": {"include": ["de"]}}, {"displayName": "A", "locationSet": {"include": ["at", "de"]}}]));
        assert_eq!(transform(&input, "L").unwrap(), transform(&input, "L").unwrap());
    }

    #[test]
    fn another_version_is_refused() {
        assert!(transform(&json!({"_meta": {"version": "1"}, "nsi": {}}), "").is_err());
    }

    #[test]
    fn operators_count_by_what_they_run_unless_a_brand_or_a_public_body() {
        let item = |name: &str, cc: &str| json!({"displayName": name, "locationSet": {"include": [cc]}, "tags": {"operator": name}});
        let input = json!({"_meta": {"version": VERSION}, "nsi": {
            "brands/shop/supermarket": {"items": [item("Auchan", "fr")]},
            "operators/power/substation": {"items": [item("Xcel Energy", "us"), item("City of Cape Town", "za"), item("Deutsche Telekom", "de")]},
            "operators/amenity/charging_station": {"items": [item("Xcel Energy", "us"), item("Ionity", "de"), item("Auchan", "fr")]},
            "operators/telecom/exchange": {"items": [item("Deutsche Telekom", "de")]},
            "operators/leisure/park": {"items": [item("City of Cape Town", "za")]},
            "operators/amenity/parking": {"items": [item("Wilson Parking", "au")]},
        }});
        let rows = rows_of(&input);
        assert_eq!(
            rows,
            [
                "fuel\tde\tIonity\toperator",
                "groceries\tfr\tAuchan",
                "transport\tau\tWilson Parking\toperator",
                "utilities\tus\tXcel Energy\toperator",
            ]
        );
    }

    #[test]
    fn transit_networks_are_transport_by_their_network_names_and_operators() {
        let input = json!({"_meta": {"version": VERSION}, "nsi": {
            "brands/shop/supermarket": {"items": [{"displayName": "Metro", "locationSet": {"include": ["fr"]}}]},
            "transit/route/bus": {"items": [
                {"displayName": "RATP (Paris)", "locationSet": {"include": ["fr"]}, "matchNames": ["paris"], "tags": {"network": "RATP", "operator": "Régie autonome des transports parisiens"}},
                {"displayName": "Dublin Bus", "locationSet": {"include": ["ie"]}, "tags": {"operator": "Dublin City Council"}},
                {"displayName": "Limburg", "locationSet": {"include": ["nl"]}},
                {"displayName": "Coffs Harbour", "locationSet": {"include": ["au"]}},
                {"displayName": "AVV", "locationSet": {"include": [[6.3, 50.8, 50]]}},
                {"displayName": "Metro", "locationSet": {"include": ["fr"]}},
            ]},
        }});
        let rows = rows_of(&input);
        // The operators count as operators (`Dublin City Council` is a public body).
        assert_eq!(
            rows,
            [
                "groceries\tfr\tMetro",
                "transport\tfr\tRATP",
                "transport\tfr\tRegie autonome des transports parisiens\toperator",
                "transport\tie\tDublin Bus"
            ]
        );
    }
}
