//! What `cargo xtask brands` and `cargo xtask words` share: the reviewed OSM tag →
//! category mapping, and fetching a pinned npm package checked against its integrity.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::cmd::Result;

/// `npm pack <package>@<version>` into `dir`, and check its sha512 integrity against
/// the pinned one: nothing is written from a package that is not the reviewed one.
pub fn fetch(dir: &Path, package: &str, version: &str, pinned: &str) -> Result<PathBuf> {
    let spec = format!("{package}@{version}");
    eprintln!("$ npm pack {spec} --json --pack-destination {}", dir.display());
    let out = Command::new("npm")
        .args(["pack", &spec, "--json", "--pack-destination"])
        .arg(dir)
        .output()
        .map_err(|e| format!("could not run npm: {e}"))?;
    if !out.status.success() {
        return Err(format!("npm pack {spec} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let report: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("npm pack --json: {e}"))?;
    let entry = report.get(0).ok_or("npm pack printed no package")?;
    let integrity = entry["integrity"].as_str().unwrap_or_default();
    if integrity != pinned {
        return Err(format!("{spec}: integrity {integrity} is not the pinned {pinned}"));
    }
    let file = entry["filename"].as_str().ok_or("npm pack named no file")?;
    Ok(dir.join(file))
}

/// One file of the tarball, through the system `tar` (as npm itself unpacks it).
pub fn read_member(tarball: &Path, member: &str) -> Result<Vec<u8>> {
    let out = Command::new("tar")
        .arg("-xOzf")
        .arg(tarball)
        .arg(member)
        .output()
        .map_err(|e| format!("could not run tar: {e}"))?;
    if !out.status.success() {
        return Err(format!("{member} not in {}: {}", tarball.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(out.stdout)
}

/// A name as the ASCII a bank prints, in every spelling it may take: accented Latin
/// letters lose their accents (`Intermarché` → `Intermarche`, `Elkjøp` → `Elkjop`), and
/// German umlauts give both spellings (`Müller` → `Mueller`, `Muller`). Other characters
/// that are not letters become a space. Empty when a letter is outside the table
/// (Cyrillic, Greek, CJK): folding those would be a guess.
pub fn ascii_spellings(name: &str) -> Vec<String> {
    let mut forms = vec![String::new()];
    for c in name.chars() {
        let folds: &[&str] = match c {
            c if c.is_ascii() => {
                forms.iter_mut().for_each(|f| f.push(c));
                continue;
            }
            'ä' => &["ae", "a"],
            'Ä' => &["AE", "A"],
            'ö' => &["oe", "o"],
            'Ö' => &["OE", "O"],
            'ü' => &["ue", "u"],
            'Ü' => &["UE", "U"],
            'ß' => &["ss"],
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ą' | 'ă' | 'ā' => &["a"],
            'À' | 'Á' | 'Â' | 'Ã' | 'Å' | 'Ą' | 'Ă' | 'Ā' => &["A"],
            'æ' => &["ae"],
            'Æ' => &["AE"],
            'ç' | 'ć' | 'č' => &["c"],
            'Ç' | 'Ć' | 'Č' => &["C"],
            'ď' | 'đ' => &["d"],
            'Ď' | 'Đ' => &["D"],
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' | 'ē' => &["e"],
            'È' | 'É' | 'Ê' | 'Ë' | 'Ę' | 'Ě' | 'Ē' => &["E"],
            'ğ' => &["g"],
            'Ğ' => &["G"],
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => &["i"],
            'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' | 'Ī' => &["I"],
            'ł' | 'ľ' | 'ĺ' => &["l"],
            'Ł' | 'Ľ' | 'Ĺ' => &["L"],
            'ñ' | 'ń' | 'ň' => &["n"],
            'Ñ' | 'Ń' | 'Ň' => &["N"],
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ő' | 'ō' => &["o"],
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' | 'Ő' | 'Ō' => &["O"],
            'œ' => &["oe"],
            'Œ' => &["OE"],
            'ř' | 'ŕ' => &["r"],
            'Ř' | 'Ŕ' => &["R"],
            'ś' | 'š' | 'ş' | 'ș' => &["s"],
            'Ś' | 'Š' | 'Ş' | 'Ș' => &["S"],
            'ť' | 'ţ' | 'ț' => &["t"],
            'Ť' | 'Ţ' | 'Ț' => &["T"],
            'ù' | 'ú' | 'û' | 'ů' | 'ű' | 'ū' => &["u"],
            'Ù' | 'Ú' | 'Û' | 'Ů' | 'Ű' | 'Ū' => &["U"],
            'ý' | 'ÿ' => &["y"],
            'Ý' | 'Ÿ' => &["Y"],
            'ź' | 'ż' | 'ž' => &["z"],
            'Ź' | 'Ż' | 'Ž' => &["Z"],
            '’' | '‘' | '\u{ad}' => &[""],
            c if c.is_alphabetic() => return Vec::new(),
            _ => &[" "],
        };
        forms = forms.iter().flat_map(|f| folds.iter().map(move |x| format!("{f}{x}"))).collect();
    }
    let mut out: Vec<String> = Vec::new();
    for f in forms {
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// The licence as `#` comment lines, for a generated table's header.
pub fn commented(licence: &str) -> String {
    licence.lines().map(|l| format!("# {l}").trim_end().to_string() + "\n").collect()
}

/// OSM tag (`key/value`) → Tally category slug: the one reviewed mapping, read by
/// `cargo xtask brands` (NSI's `brands/<key>/<value>` trees) and `cargo xtask words` (iD's
/// presets, by their tags). Reviewed by hand: each line is what a person reading a
/// statement would call a spend there. Tags not in it (banks, ATMs, parcel lockers,
/// vending machines, car dealers, …) are left out, since a statement line from them is
/// not a spend of that kind or the category would be a guess.
pub const MAPPING: &[(&str, &str)] = &[
    // Food shops.
    ("shop/supermarket", "groceries"),
    ("shop/convenience", "groceries"),
    ("shop/greengrocer", "groceries"),
    ("shop/butcher", "groceries"),
    ("shop/bakery", "groceries"),
    ("shop/deli", "groceries"),
    ("shop/dairy", "groceries"),
    ("shop/frozen_food", "groceries"),
    ("shop/seafood", "groceries"),
    ("shop/health_food", "groceries"),
    ("shop/confectionery", "groceries"),
    ("shop/chocolate", "groceries"),
    ("shop/nuts", "groceries"),
    ("shop/cheese", "groceries"),
    ("shop/tea", "groceries"),
    ("shop/coffee", "groceries"),
    ("shop/wholesale", "groceries"),
    ("shop/food", "groceries"),
    // Eating out.
    ("amenity/fast_food", "dining"),
    ("amenity/restaurant", "dining"),
    ("amenity/cafe", "dining"),
    ("amenity/ice_cream", "dining"),
    ("amenity/food_court", "dining"),
    ("shop/pastry", "dining"),
    // Drink and tobacco (the division is "Alcoholic beverages and tobacco").
    ("shop/alcohol", "alcohol"),
    ("shop/wine", "alcohol"),
    ("shop/beverages", "alcohol"),
    ("amenity/pub", "alcohol"),
    ("amenity/bar", "alcohol"),
    ("amenity/biergarten", "alcohol"),
    ("shop/tobacco", "alcohol"),
    ("shop/e-cigarette", "alcohol"),
    // Fuel, including electric charging (as in data/local_words.tsv).
    ("amenity/fuel", "fuel"),
    ("amenity/charging_station", "fuel"),
    ("man_made/charge_point", "fuel"),
    // Vehicles and getting about (the directory files car parts and servicing here).
    ("shop/car_repair", "transport"),
    ("shop/car_parts", "transport"),
    ("shop/tyres", "transport"),
    ("amenity/car_wash", "transport"),
    ("amenity/parking", "transport"),
    ("amenity/bicycle_rental", "transport"),
    ("amenity/vehicle_inspection", "transport"),
    ("amenity/car_sharing", "transport"),
    ("shop/motorcycle_repair", "transport"),
    ("shop/truck_repair", "transport"),
    // Public transport: what NSI's transit trees are (routes, stations, stops, ferry
    // terminals), read for who operates them (`DB Fernverkehr`, `Keolis Rennes`).
    ("route/bus", "transport"),
    ("route/train", "transport"),
    ("route/tram", "transport"),
    ("route/subway", "transport"),
    ("route/light_rail", "transport"),
    ("route/ferry", "transport"),
    ("route/trolleybus", "transport"),
    ("railway/station", "transport"),
    ("railway/halt", "transport"),
    ("railway/tram_stop", "transport"),
    ("public_transport/station", "transport"),
    ("highway/bus_stop", "transport"),
    ("amenity/ferry_terminal", "transport"),
    // Road tolls (the operators of toll gantries and booths: `Illinois Tollway`).
    ("highway/toll_gantry", "transport"),
    ("barrier/toll_booth", "transport"),
    // Travel (the directory files car hire here).
    ("tourism/hotel", "travel"),
    ("tourism/motel", "travel"),
    ("tourism/hostel", "travel"),
    ("tourism/guest_house", "travel"),
    ("tourism/camp_site", "travel"),
    ("tourism/caravan_site", "travel"),
    ("shop/travel_agency", "travel"),
    ("amenity/car_rental", "travel"),
    // Telecommunications shops are the carriers' own.
    ("shop/mobile_phone", "telecommunications"),
    ("shop/telecommunication", "telecommunications"),
    ("office/telecommunication", "telecommunications"),
    // Telephone exchanges are run by the carriers (`Comcast`, `Movistar`, `Swisscom`).
    ("telecom/exchange", "telecommunications"),
    // Energy and water: who runs the grid, the plants and the waterworks is who sends
    // the bill (`Xcel Energy`, `Stadtwerke Potsdam`, `Endesa`, `TasWater`). Bottled gas
    // is here too, as in data/local_words.tsv.
    ("office/energy_supplier", "utilities"),
    ("office/water_utility", "utilities"),
    ("power/plant", "utilities"),
    ("power/generator", "utilities"),
    ("power/substation", "utilities"),
    ("power/transformer", "utilities"),
    ("power/line", "utilities"),
    ("power/minor_line", "utilities"),
    ("man_made/water_works", "utilities"),
    ("man_made/wastewater_plant", "utilities"),
    ("shop/gas", "utilities"),
    // Going out.
    ("amenity/cinema", "entertainment"),
    ("amenity/theatre", "entertainment"),
    ("amenity/nightclub", "entertainment"),
    ("amenity/casino", "entertainment"),
    ("leisure/bowling_alley", "entertainment"),
    ("leisure/amusement_arcade", "entertainment"),
    ("leisure/water_park", "entertainment"),
    ("tourism/theme_park", "entertainment"),
    ("leisure/trampoline_park", "entertainment"),
    ("leisure/adult_gaming_centre", "entertainment"),
    ("amenity/karaoke_box", "entertainment"),
    ("amenity/gambling", "entertainment"),
    ("shop/lottery", "entertainment"),
    ("shop/bookmaker", "entertainment"),
    ("shop/video_games", "entertainment"),
    // Health and fitness.
    ("amenity/pharmacy", "health"),
    ("amenity/clinic", "health"),
    ("amenity/dentist", "health"),
    ("amenity/doctors", "health"),
    ("amenity/hospital", "health"),
    ("healthcare/laboratory", "health"),
    ("healthcare/sample_collection", "health"),
    ("healthcare/physiotherapist", "health"),
    ("healthcare/audiologist", "health"),
    ("shop/optician", "health"),
    ("shop/hearing_aids", "health"),
    ("shop/medical_supply", "health"),
    ("shop/nutrition_supplements", "health"),
    ("leisure/fitness_centre", "health"),
    ("leisure/sports_centre", "health"),
    ("healthcare/dialysis", "health"),
    ("healthcare/counselling", "health"),
    ("shop/herbalist", "health"),
    // Insurance.
    ("office/insurance", "insurance"),
    // Shops.
    ("shop/clothes", "shopping"),
    ("shop/shoes", "shopping"),
    ("shop/department_store", "shopping"),
    ("shop/variety_store", "shopping"),
    ("shop/electronics", "shopping"),
    ("shop/computer", "shopping"),
    ("shop/books", "shopping"),
    ("shop/jewelry", "shopping"),
    ("shop/watches", "shopping"),
    ("shop/sports", "shopping"),
    ("shop/outdoor", "shopping"),
    ("shop/bicycle", "shopping"),
    ("shop/toys", "shopping"),
    ("shop/gift", "shopping"),
    ("shop/stationery", "shopping"),
    ("shop/bag", "shopping"),
    ("shop/fashion_accessories", "shopping"),
    ("shop/baby_goods", "shopping"),
    ("shop/second_hand", "shopping"),
    ("shop/photo", "shopping"),
    ("shop/music", "shopping"),
    ("shop/newsagent", "shopping"),
    ("shop/kiosk", "shopping"),
    ("shop/florist", "shopping"),
    ("shop/mall", "shopping"),
    ("shop/country_store", "shopping"),
    ("shop/craft", "shopping"),
    ("shop/party", "shopping"),
    ("shop/fabric", "shopping"),
    ("shop/musical_instrument", "shopping"),
    ("shop/hifi", "shopping"),
    ("shop/camera", "shopping"),
    ("shop/games", "shopping"),
    ("shop/anime", "shopping"),
    ("shop/art", "shopping"),
    ("shop/fishing", "shopping"),
    ("shop/leather", "shopping"),
    ("shop/model", "shopping"),
    ("shop/candles", "shopping"),
    ("shop/printer_ink", "shopping"),
    ("shop/mobile_phone_accessories", "shopping"),
    ("shop/erotic", "shopping"),
    // Home and garden.
    ("shop/doityourself", "home"),
    ("shop/hardware", "home"),
    ("shop/garden_centre", "home"),
    ("shop/furniture", "home"),
    ("shop/houseware", "home"),
    ("shop/interior_decoration", "home"),
    ("shop/bed", "home"),
    ("shop/kitchen", "home"),
    ("shop/paint", "home"),
    ("shop/tiles", "home"),
    ("shop/household_linen", "home"),
    ("shop/trade", "home"),
    ("shop/bathroom_furnishing", "home"),
    ("shop/lighting", "home"),
    ("shop/carpet", "home"),
    ("shop/appliance", "home"),
    ("shop/tool_hire", "home"),
    ("shop/plant_hire", "home"),
    ("shop/electrical", "home"),
    ("shop/flooring", "home"),
    ("shop/window_blind", "home"),
    ("shop/curtain", "home"),
    ("shop/doors", "home"),
    ("shop/glaziery", "home"),
    ("shop/swimming_pool", "home"),
    ("shop/vacuum_cleaner", "home"),
    ("shop/locksmith", "home"),
    ("shop/pest_control", "home"),
    ("craft/plumber", "home"),
    ("craft/cleaning", "home"),
    // Laundries and dry cleaners: the taxonomy's `other` is ANZSIC group 953, Other
    // Personal Services, whose class 9531 is Laundry and Dry-Cleaning Services
    // (personal care is 951, hairdressing and beauty).
    ("shop/dry_cleaning", "other"),
    ("shop/laundry", "other"),
    // Personal care (OSM's `shop=chemist` is a drugstore: dm, Rossmann, Superdrug).
    ("shop/chemist", "personal-care"),
    ("shop/cosmetics", "personal-care"),
    ("shop/perfumery", "personal-care"),
    ("shop/beauty", "personal-care"),
    ("shop/hairdresser", "personal-care"),
    ("shop/massage", "personal-care"),
    ("shop/hairdresser_supply", "personal-care"),
    // Education.
    ("amenity/kindergarten", "education"),
    ("amenity/childcare", "education"),
    ("amenity/school", "education"),
    ("amenity/prep_school", "education"),
    ("amenity/language_school", "education"),
    ("amenity/driving_school", "education"),
    ("amenity/college", "education"),
    ("amenity/university", "education"),
    ("amenity/music_school", "education"),
    // Government and housing.
    ("office/government", "government"),
    ("amenity/townhall", "government"),
    ("amenity/courthouse", "government"),
    ("office/estate_agent", "housing"),
    ("shop/storage_rental", "housing"),
    // Pets.
    ("shop/pet", "pets"),
    ("amenity/veterinary", "pets"),
    // Charity shops (the directory files Oxfam under charity).
    ("shop/charity", "charity"),
    // Services data/local_words.tsv files under `other`: post, funerals, pawnbrokers,
    // copying, tailoring, shoe repair, removals, lawyers and accountants.
    ("amenity/post_office", "other"),
    ("shop/funeral_directors", "other"),
    ("shop/pawnbroker", "other"),
    ("shop/copyshop", "other"),
    ("shop/tailor", "other"),
    ("shop/shoe_repair", "other"),
    ("office/moving_company", "other"),
    ("office/lawyer", "other"),
    ("office/tax_advisor", "other"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_fold_to_the_ascii_banks_print() {
        assert_eq!(ascii_spellings("Intermarché"), ["Intermarche"]);
        assert_eq!(ascii_spellings("Engel & Völkers"), ["Engel & Voelkers", "Engel & Volkers"]);
        assert_eq!(ascii_spellings("Elkjøp"), ["Elkjop"]);
        assert_eq!(ascii_spellings("Tesco"), ["Tesco"]);
        assert!(ascii_spellings("Пятёрочка").is_empty());
    }

    #[test]
    fn every_mapping_names_a_tally_category_once() {
        let slugs = [
            "groceries", "dining", "alcohol", "fuel", "transport", "travel", "utilities", "telecommunications",
            "entertainment", "health", "insurance", "shopping", "home", "personal-care", "education", "government",
            "housing", "charity", "subscriptions-software", "pets", "other",
        ];
        let mut seen = BTreeSet::new();
        for (tag, slug) in MAPPING {
            assert!(slugs.contains(slug), "{tag} → {slug}");
            assert!(seen.insert(tag), "{tag} twice");
        }
    }
}
