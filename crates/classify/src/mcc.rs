//! Merchant category codes (ISO 18245) → expense category.
//!
//! Card schemes tag every card payment with a four-digit MCC; when a
//! connector passes it through it is a strong, merchant-declared signal. The
//! table is a list of inclusive ranges (airline and hotel codes are whole
//! blocks: 3000–3350 airlines, 3351–3500 car rental, 3501–3999 lodging).
//! Catch-all codes (5999 miscellaneous retail, 7399 business services, 8999
//! professional services…) are deliberately absent: they say nothing, so the
//! cascade falls through to the model rather than trusting them.

use crate::taxonomy::{category_by_slug, Category};

/// (first, last, slug), sorted by `first`, non-overlapping.
const RANGES: &[(u16, u16, &str)] = &[
    (742, 742, "pets"),                     // veterinary services
    (3000, 3350, "travel"),                 // airlines
    (3351, 3500, "travel"),                 // car rental
    (3501, 3999, "travel"),                 // lodging
    (4011, 4011, "transport"),              // railroads (freight)
    (4111, 4112, "transport"),              // commuter transport, passenger rail
    (4119, 4119, "health"),                 // ambulance
    (4121, 4121, "transport"),              // taxis and limousines
    (4131, 4131, "transport"),              // bus lines
    (4214, 4215, "other"),                  // couriers, freight
    (4225, 4225, "other"),                  // storage
    (4411, 4411, "travel"),                 // cruise lines
    (4457, 4457, "entertainment"),          // boat rentals
    (4468, 4468, "transport"),              // marinas
    (4511, 4511, "travel"),                 // airlines, air carriers
    (4582, 4582, "travel"),                 // airports
    (4722, 4723, "travel"),                 // travel agencies, tour operators
    (4784, 4784, "transport"),              // tolls and bridge fees
    (4789, 4789, "transport"),              // transportation services
    (4812, 4816, "telecommunications"),     // telecom equipment, services, network
    (4821, 4821, "telecommunications"),     // telegraph
    (4829, 4829, "other"),                  // money orders / wires
    (4899, 4899, "entertainment"),          // cable, satellite and pay TV
    (4900, 4900, "utilities"),              // electricity, gas, water
    (5013, 5013, "transport"),              // motor vehicle supplies
    (5045, 5045, "shopping"),               // computers and peripherals
    (5111, 5111, "shopping"),               // stationery
    (5122, 5122, "health"),                 // drugs, druggists' sundries
    (5137, 5139, "shopping"),               // uniforms, clothing, footwear (wholesale)
    (5200, 5200, "home"),                   // home supply warehouses
    (5211, 5211, "home"),                   // lumber, building materials
    (5231, 5231, "home"),                   // glass, paint, wallpaper
    (5251, 5251, "home"),                   // hardware
    (5261, 5261, "home"),                   // nurseries, lawn and garden
    (5309, 5309, "shopping"),               // duty free
    (5310, 5311, "shopping"),               // discount and department stores
    (5331, 5331, "shopping"),               // variety stores
    (5399, 5399, "shopping"),               // general merchandise
    (5411, 5411, "groceries"),              // grocery stores, supermarkets
    (5422, 5422, "groceries"),              // meat provisioners
    (5441, 5441, "groceries"),              // candy, confectionery
    (5451, 5451, "groceries"),              // dairy
    (5462, 5462, "groceries"),              // bakeries
    (5499, 5499, "groceries"),              // misc food stores, convenience
    (5511, 5521, "transport"),              // car dealers
    (5531, 5533, "transport"),              // auto stores, parts
    (5541, 5542, "fuel"),                   // service stations, automated fuel
    (5551, 5599, "transport"),              // boat, RV, motorcycle dealers
    (5611, 5699, "shopping"),               // clothing and accessories
    (5712, 5719, "home"),                   // furniture, floor coverings, home furnishings
    (5722, 5722, "shopping"),               // household appliances
    (5732, 5735, "shopping"),               // electronics, computer software, music
    (5811, 5812, "dining"),                 // caterers, restaurants
    (5813, 5813, "alcohol"),                // bars, taverns, nightclubs
    (5814, 5814, "dining"),                 // fast food
    (5815, 5816, "entertainment"),          // digital media, games
    (5817, 5817, "subscriptions-software"), // digital applications
    (5818, 5818, "entertainment"),          // large digital goods merchant
    (5912, 5912, "health"),                 // drug stores, pharmacies
    (5921, 5921, "alcohol"),                // package stores, beer, wine, liquor
    (5931, 5932, "shopping"),               // second hand, antiques
    (5940, 5950, "shopping"), // bicycles, sporting, books, stationery, jewellery, toys, gifts
    (5960, 5960, "insurance"), // direct marketing insurance
    (5970, 5971, "shopping"), // artist supplies, galleries
    (5975, 5976, "health"),   // hearing aids, orthopaedic goods
    (5977, 5977, "personal-care"), // cosmetic stores
    (5983, 5983, "fuel"),     // fuel dealers
    (5992, 5992, "shopping"), // florists
    (5993, 5993, "other"),    // tobacco
    (5994, 5994, "shopping"), // news dealers
    (5995, 5995, "pets"),     // pet shops, pet food
    (5996, 5996, "home"),     // swimming pools
    (5998, 5998, "home"),     // tents and awnings
    (6300, 6300, "insurance"), // insurance sales and premiums
    (6381, 6399, "insurance"), // insurance premiums
    (6513, 6513, "housing"),  // real estate agents and managers, rentals
    (7011, 7011, "travel"),   // hotels, motels, resorts
    (7012, 7012, "travel"),   // timeshares
    (7032, 7033, "travel"),   // camps, trailer parks
    (7210, 7211, "other"),    // laundry
    (7216, 7216, "other"),    // dry cleaners
    (7230, 7230, "personal-care"), // barber and beauty shops
    (7251, 7251, "other"),    // shoe repair
    (7261, 7261, "other"),    // funeral services
    (7273, 7273, "entertainment"), // dating services
    (7297, 7298, "personal-care"), // massage, health and beauty spas
    (7333, 7333, "other"),    // commercial photography
    (7338, 7338, "other"),    // quick copy
    (7372, 7372, "subscriptions-software"), // computer programming, data processing
    (7512, 7513, "travel"),   // car and truck rental
    (7519, 7519, "travel"),   // motor home rental
    (7523, 7523, "transport"), // parking lots, garages
    (7531, 7549, "transport"), // auto body, tyres, paint, service, car wash, towing
    (7622, 7641, "home"),     // electronics/appliance repair, furniture repair
    (7832, 7841, "entertainment"), // cinemas, video rental
    (7911, 7911, "entertainment"), // dance halls
    (7922, 7922, "entertainment"), // theatrical producers, ticket agencies
    (7929, 7929, "entertainment"), // bands, orchestras
    (7932, 7933, "entertainment"), // billiards, bowling
    (7941, 7941, "entertainment"), // sports clubs, promoters
    (7991, 7991, "entertainment"), // tourist attractions
    (7992, 7992, "entertainment"), // golf courses
    (7993, 7996, "entertainment"), // video games, betting, amusement parks
    (7997, 7997, "health"),   // membership clubs, gyms
    (7998, 7999, "entertainment"), // aquariums, zoos, recreation
    (8011, 8099, "health"),   // doctors, dentists, hospitals, labs, health
    (8211, 8299, "education"), // schools, universities, colleges, training
    (8351, 8351, "education"), // child care services
    (8398, 8398, "charity"),  // charitable and social service organisations
    (8641, 8641, "charity"),  // civic, social, fraternal associations
    (8661, 8661, "charity"),  // religious organisations
    (9211, 9211, "government"), // court costs
    (9222, 9223, "government"), // fines, bail and bond
    (9311, 9311, "government"), // tax payments
    (9399, 9399, "government"), // government services
    (9402, 9402, "other"),    // postal services
    (9405, 9405, "government"), // intra-government purchases
];

/// The category an MCC settles, or `None` for unknown and catch-all codes.
pub fn category_for_mcc(mcc: u16) -> Option<&'static Category> {
    let i = RANGES.partition_point(|&(first, _, _)| first <= mcc);
    let &(first, last, slug) = RANGES.get(i.checked_sub(1)?)?;
    if (first..=last).contains(&mcc) {
        category_by_slug(slug)
    } else {
        None
    }
}

#[cfg(feature = "tools")]
/// A few representative codes per category, for corpus generation.
pub(crate) fn sample_codes(slug: &str) -> Vec<u16> {
    RANGES
        .iter()
        .filter(|r| r.2 == slug)
        .flat_map(|&(a, b, _)| [a, b])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_valid_and_non_overlapping() {
        for w in RANGES.windows(2) {
            assert!(w[0].1 < w[1].0, "{:?} overlaps {:?}", w[0], w[1]);
        }
        for r in RANGES {
            assert!(r.0 <= r.1);
            assert!(category_by_slug(r.2).is_some(), "{}", r.2);
        }
    }

    #[test]
    fn known_codes() {
        let slug = |c| category_for_mcc(c).map(|c| c.slug);
        assert_eq!(slug(5411), Some("groceries"));
        assert_eq!(slug(5812), Some("dining"));
        assert_eq!(slug(5541), Some("fuel"));
        assert_eq!(slug(3005), Some("travel"));
        assert_eq!(slug(3700), Some("travel"));
        assert_eq!(slug(8021), Some("health"));
        assert_eq!(slug(4900), Some("utilities"));
        assert_eq!(slug(5999), None); // catch-all
        assert_eq!(slug(0), None);
        assert_eq!(slug(u16::MAX), None);
    }
}
