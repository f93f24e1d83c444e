//! `cargo xtask words`: rebuild `crates/classify/data/osm_words.tsv`, the generated
//! generic-word lexicon, from OpenStreetMap's iD tagging schema (npm
//! `@openstreetmap/id-tagging-schema`, ISC licence).
//!
//! Why: most of what a statement from abroad says is not a chain but a local business
//! whose name carries what it is (`BAECKEREI MUELLER`, `PANADERIA LOLA`, `TANDARTS DE
//! VRIES`). The model learned the category words of Australian names only, and the
//! hand-written lexicon (`data/keywords.tsv`) is one person's list. iD's presets are the
//! kinds of place mappers tag (`shop=bakery`, `amenity/dentist`), each with its name, other
//! names and search terms translated by OSM's community into many languages.
//!
//! How:
//! - The package is fetched with npm at the pinned `VERSION` and checked against
//!   `INTEGRITY` (`osm::fetch`); nothing downloads at build or run time.
//! - A preset's category is the one `osm::MAPPING` (the same reviewed table the brand
//!   table uses) gives its tags; presets whose tags map to no category or to two are left
//!   out.
//! - For each language in `LOCALES`, the preset's translated name and aliases are taken
//!   (not its search terms: with them the synthetic held-out split fell from 95.17% to
//!   94.84% and the hand-written held-out set from 80.60% to 79.60%), folded to the ASCII a bank prints
//!   (`Bäckerei` → `BAECKEREI` and `BACKEREI`, `Panadería` → `PANADERIA`); a phrase with a
//!   letter outside the fold table, a digit, more than three words or fewer than
//!   `MIN_LETTERS` letters is left out.
//! - A word that names two categories in any of the languages (`bar`: a pub in English, a
//!   café in Italian) is left out, and so are the words of `EXCLUDED`, reviewed by hand:
//!   words too general to say what a shop is.
//! - Output is sorted, so a rerun is byte-for-byte the same.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::cmd::{root, Result};
use crate::osm::{ascii_spellings, commented, fetch, read_member, MAPPING};

/// The pinned iD tagging schema release.
pub const VERSION: &str = "7.2.0";
/// Its tarball's sha512 integrity, as the npm registry publishes it.
pub const INTEGRITY: &str =
    "sha512-7hjV8Xl3CoaO0u+M/Po0u33YIRahL8jEJtOzho189VOqqQQB3L9UGv2o93o/T4G3I0z5sFvQhn0apOz6+j253w==";

/// Translation files read (`dist/translations/<locale>.json`) and the language they
/// are written as: the languages of the statements Tally reads.
pub const LOCALES: &[(&str, &str)] =
    &[("de", "de"), ("en", "en"), ("en-GB", "en"), ("es", "es"), ("fr", "fr"), ("it", "it"), ("nl", "nl")];

/// Fewest letters a phrase must have.
const MIN_LETTERS: usize = 4;

/// Words (squashed, upper-case) reviewed by hand from the generated list and left out:
/// too general to say what a business sells, or another thing on a statement.
const EXCLUDED: &[&str] = &[
    // A pension (contribution) in English; a guest house in German and Dutch.
    "PENSION",
    // A drugstore in OSM's tagging, a pharmacy on an Australian or British statement.
    "CHEMIST",
    // A corner shop in New York, a wine cellar or bar in Spain.
    "BODEGA",
    // Says the prices, not the goods (`DISCOUNT TYRES`, `DISCOUNT PHARMACY`).
    "DISCOUNT",
    // Wholesalers of anything: OSM files them under food (`shop=wholesale`) and trade.
    "GROSSHANDEL", "GROSSISTA", "GROSSISTE", "GROOTHANDEL", "WHOLESALESTORE", "COMMERCEDEGROS",
];

/// Presets (iD ids) left out although their tags map: a sport at a sports centre is a
/// day out more than a gym.
const EXCLUDED_PRESETS: &[&str] = &[
    "leisure/sports_centre/climbing_adventure",
    "leisure/sports_centre/horse_racing",
    "leisure/sports_centre/karting",
    "leisure/sports_centre/shooting",
];

/// Tags (`key` or `key/value`) whose presets give no words although they map: a route, a
/// station or a stop names where a shop is (`KIOSK AM BAHNHOF`, `BRASSERIE DE LA GARE`),
/// not what it sells; a power plant, a waterworks or a telephone exchange names what a
/// utility runs (`SOLARANLAGE`, `WIND TURBINE`), not a business a card pays. (A toll
/// booth stays: `PEAGE`, `MAUT` are what a card pays for.)
/// Their operators are what the brand table takes from them.
const PLACES: &[&str] = &[
    "route", "railway", "public_transport", "highway/bus_stop", "amenity/ferry_terminal",
    "power", "man_made/water_works", "man_made/wastewater_plant", "telecom/exchange",
];

/// Where the table is written.
const OUT: &str = "crates/classify/data/osm_words.tsv";

pub fn run() -> Result {
    let dir = root().join("target/id-tagging-schema");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tarball = fetch(&dir, "@openstreetmap/id-tagging-schema", VERSION, INTEGRITY)?;
    let json = |member: &str| -> Result<Value> {
        let bytes = read_member(&tarball, &format!("package/{member}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{member}: {e}"))
    };
    let package = json("package.json")?;
    if package["version"].as_str() != Some(VERSION) {
        return Err(format!("package.json says version {}, expected {VERSION}", package["version"]));
    }
    let presets = json("dist/presets.json")?;
    let mut translations = Vec::new();
    for (locale, language) in LOCALES {
        let t = json(&format!("dist/translations/{locale}.json"))?;
        translations.push((*language, t[*locale]["presets"]["presets"].clone()));
    }
    let licence = read_member(&tarball, "package/LICENSE.md")?;
    let table = transform(&presets, &translations, &String::from_utf8_lossy(&licence))?;
    let out = root().join(OUT);
    std::fs::write(&out, &table).map_err(|e| format!("{}: {e}", out.display()))?;
    let entries: usize = table.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('|').count()).sum();
    eprintln!("wrote {OUT} ({} bytes, {entries} entries)", table.len());
    Ok(())
}

/// The table: a header (source, version, licence), then one
/// `category<TAB>language<TAB>WORD|WORD…` row per category and language, sorted.
pub fn transform(presets: &Value, translations: &[(&str, Value)], licence: &str) -> Result<String> {
    let presets = presets.as_object().ok_or("presets.json is not an object")?;
    let mapping: BTreeMap<&str, &str> = MAPPING.iter().copied().collect();
    // (category, language) → phrases; squashed phrase → categories.
    let mut rows: BTreeMap<(&str, &str), BTreeSet<String>> = BTreeMap::new();
    let mut says: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (id, preset) in presets {
        let tags = preset["tags"].as_object().into_iter().flatten();
        let slugs: BTreeSet<&str> =
            tags.filter_map(|(k, v)| v.as_str().and_then(|v| mapping.get(format!("{k}/{v}").as_str()).copied())).collect();
        let [slug] = slugs.into_iter().collect::<Vec<_>>()[..] else { continue };
        let place = preset["tags"].as_object().into_iter().flatten().any(|(k, v)| {
            PLACES.contains(&k.as_str()) || v.as_str().is_some_and(|v| PLACES.contains(&format!("{k}/{v}").as_str()))
        });
        if place || EXCLUDED_PRESETS.contains(&id.as_str()) {
            continue;
        }
        for (language, t) in translations {
            let t = &t[id.as_str()];
            let mut phrases: Vec<&str> = t["name"].as_str().into_iter().collect();
            phrases.extend(t["aliases"].as_array().into_iter().flatten().filter_map(Value::as_str));
            for phrase in phrases {
                for p in ascii_forms(phrase) {
                    let squashed: String = p.split(' ').collect();
                    if EXCLUDED.contains(&squashed.as_str()) {
                        continue;
                    }
                    says.entry(squashed).or_default().insert(slug);
                    rows.entry((slug, language)).or_default().insert(p);
                }
            }
        }
    }
    let version = VERSION;
    let mut out = format!(
        "# Generic words for tally-classify, generated by `cargo xtask words` from OpenStreetMap's\n\
         # iD tagging schema {version} (npm @openstreetmap/id-tagging-schema@{version},\n\
         # {INTEGRITY}): each preset's translated name and aliases, with the category its\n\
         # tags have in xtask/src/osm.rs. Do not edit: change the mapping or xtask/src/words.rs\n\
         # and rerun. Words that name two categories are left out.\n\
         # category\tlanguage\twords (|-separated; several words match as a phrase)\n#\n"
    );
    out.push_str(&commented(licence));
    for ((slug, language), phrases) in rows {
        let kept: Vec<String> =
            phrases.into_iter().filter(|p| says[&p.split(' ').collect::<String>()].len() == 1).collect();
        if !kept.is_empty() {
            out.push_str(&format!("{slug}\t{language}\t{}\n", kept.join("|")));
        }
    }
    Ok(out)
}

/// A phrase as a bank prints it: upper-case ASCII words separated by one space, in each
/// of its spellings (`osm::ascii_spellings`: `Bäckerei` → `BAECKEREI`, `BACKEREI`). None
/// when a letter cannot be folded, a word has a digit, there are more than three words or
/// fewer than `MIN_LETTERS` letters.
fn ascii_forms(phrase: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in ascii_spellings(phrase) {
        if f.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        let f: String = f.chars().filter(|&c| c != '\'').map(|c| if c.is_ascii_alphabetic() { c.to_ascii_uppercase() } else { ' ' }).collect();
        let words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
        let letters: usize = words.iter().map(|w| w.len()).sum();
        let p = words.join(" ");
        if (1..=3).contains(&words.len()) && letters >= MIN_LETTERS && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accents_fold_to_what_banks_print() {
        assert_eq!(ascii_forms("Bäckerei"), ["BAECKEREI", "BACKEREI"]);
        assert_eq!(ascii_forms("Panadería"), ["PANADERIA"]);
        assert_eq!(ascii_forms("Station-service"), ["STATION SERVICE"]);
        assert_eq!(ascii_forms("Chambre d'hôte"), ["CHAMBRE DHOTE"]);
        assert_eq!(ascii_forms("The\u{ad}a\u{ad}ter"), ["THEATER"]);
        assert!(ascii_forms("Bar").is_empty());
        assert!(ascii_forms("Пекарня").is_empty());
        assert!(ascii_forms("24/7 Shop").is_empty());
        assert!(ascii_forms("one two three four").is_empty());
    }

    #[test]
    fn presets_map_through_their_tags_and_ambiguous_words_go() {
        let presets = json!({
            "shop/bakery": {"tags": {"shop": "bakery"}},
            "amenity/cafe": {"tags": {"amenity": "cafe"}},
            "amenity/bar": {"tags": {"amenity": "bar"}},
            "amenity/atm": {"tags": {"amenity": "atm"}},
        });
        let de = json!({
            "shop/bakery": {"name": "Bäckerei", "terms": ["brot"]},
            "amenity/cafe": {"name": "Café", "aliases": ["Kaffeehaus"]},
            "amenity/atm": {"name": "Geldautomat"},
        });
        let it = json!({"amenity/cafe": {"name": "Caffè bar"}, "amenity/bar": {"name": "Caffè bar"}});
        let t = transform(&presets, &[("de", de), ("it", it)], "ISC").unwrap();
        let rows: Vec<&str> = t.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rows, ["dining\tde\tCAFE|KAFFEEHAUS", "groceries\tde\tBACKEREI|BAECKEREI"]);
        assert!(t.contains(VERSION) && t.contains("# ISC"));
    }
}
