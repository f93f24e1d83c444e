//! Memory stays under 10× the file size: a counting allocator records the peak of live
//! heap bytes while a generated statement is imported (the input itself not counted).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tally_import::{bench, import, Hints};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time (tests run on several threads).
static ONE: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block arriving before the old one leaves, as it may.
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Peak heap bytes above what was live before, while importing `bytes`.
fn peak_while_importing(bytes: &[u8]) -> usize {
    let _one = ONE.lock().unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let statement = import(bytes, &Hints::default()).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    drop(statement);
    peak
}

#[test]
fn importing_a_large_ofx_needs_less_than_ten_times_its_size() {
    let bytes = bench::generate_ofx(20_000, 1);
    let peak = peak_while_importing(&bytes);
    assert!(
        peak < 10 * bytes.len(),
        "peak {peak} B for a {} B file ({:.1}×)",
        bytes.len(),
        peak as f64 / bytes.len() as f64
    );
}

#[test]
fn importing_a_large_csv_needs_less_than_ten_times_its_size() {
    let bytes = bench::generate_csv(20_000, 1);
    let peak = peak_while_importing(&bytes);
    assert!(
        peak < 10 * bytes.len(),
        "peak {peak} B for a {} B file ({:.1}×)",
        bytes.len(),
        peak as f64 / bytes.len() as f64
    );
}
