// `sqlx::migrate!` embeds crates/server/migrations at compile time; without this, cargo
// would not rebuild the server when a migration file is added or changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
