//! The global allocator of the `tieout` binary and benchmarks: mimalloc,
//! asked for plain blocks where the alignment allows.
//!
//! The `mimalloc` crate's allocator asks mimalloc for an aligned block on
//! every call (`mi_malloc_aligned`), whose checks cost about a tenth of an
//! allocation. Every mimalloc block is aligned to at least 8 bytes (block
//! sizes are multiples of the pointer size), which is all almost every Rust
//! type asks for; only larger alignments take the aligned calls. A check
//! makes a few thousand allocations per release (docs/performance.md).

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as ffi;

/// Asks Linux not to back this process's memory with transparent huge
/// pages (the process's own setting; the system's is left alone).
///
/// mimalloc gives memory it no longer uses back to the system after a
/// short delay and takes it again as a sweep goes from release to release.
/// Where the system grants huge pages, 18 of a sweep's 30 MiB were in them:
/// each time memory was taken again the kernel zeroed 2 MiB, and the
/// process kept whole huge pages for a few small blocks. Without them a
/// sweep holds a quarter to a third less memory (22 against 30 MiB at
/// `-j 1`, 26 against 40 MiB at `-j 2`) in the same time: more page
/// faults, each zeroing 4 kB (docs/performance.md, "Fourteenth round").
/// Called first thing by the binary and the benchmarks; nothing on other
/// systems, and a refusal changes nothing but the memory.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `PR_SET_THP_DISABLE` takes integer arguments only and
    // touches no memory of the process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The alignment every mimalloc block has.
const PLAIN_ALIGN: usize = 8;

/// mimalloc (v2) as the global allocator.
pub struct Mimalloc;

// SAFETY: every block comes from mimalloc and goes back to it; a layout's
// alignment is honoured by the plain calls (8-byte aligned blocks) when it
// is at most 8, and by mimalloc's aligned calls otherwise. mimalloc's
// `mi_free` takes blocks from either kind of call.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation calls accept any size.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                ffi::mi_malloc(layout.size()).cast()
            } else {
                ffi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                ffi::mi_zalloc(layout.size()).cast()
            } else {
                ffi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was returned by this allocator (the caller's
        // contract), so by mimalloc.
        unsafe { ffi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` is a block of this allocator with `layout`; the new
        // block keeps the alignment as `alloc` does.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                ffi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                ffi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After the call the process's memory is kept off huge pages: the
    /// kernel says so (its own setting, read back).
    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off_for_the_process() {
        no_huge_pages();
        // SAFETY: `PR_GET_THP_DISABLE` takes integer arguments only.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }

    /// Blocks of every alignment a layout may ask for are aligned, hold what
    /// is written to them, come back zeroed from `alloc_zeroed`, and keep
    /// their bytes and alignment through a `realloc` that grows or shrinks
    /// them (mimalloc's plain blocks of 24 bytes, for one, are only 8-byte
    /// aligned: a layout of 16 must not get them).
    #[test]
    fn blocks_keep_alignment_and_contents() {
        let a = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                let mut blocks = Vec::new();
                for k in 0..32u8 {
                    // SAFETY: a non-zero size; every block is freed below
                    // with its layout.
                    unsafe {
                        let p = if k % 2 == 0 {
                            a.alloc(layout)
                        } else {
                            a.alloc_zeroed(layout)
                        };
                        assert!(!p.is_null());
                        assert_eq!(p as usize % align, 0, "align {align}, size {size}");
                        if k % 2 == 1 {
                            assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                        }
                        std::ptr::write_bytes(p, k, size);
                        blocks.push((p, k));
                    }
                }
                for (p, k) in blocks {
                    // SAFETY: `p` is a live block of `a` with `layout`; each
                    // `realloc` replaces it, and the last one is freed with
                    // the layout it has then.
                    unsafe {
                        let grown = a.realloc(p, layout, size * 3);
                        assert!(!grown.is_null());
                        assert_eq!(grown as usize % align, 0, "grown, align {align}");
                        assert!(
                            std::slice::from_raw_parts(grown, size)
                                .iter()
                                .all(|&b| b == k)
                        );
                        let big = Layout::from_size_align(size * 3, align).unwrap();
                        let half = size.div_ceil(2);
                        let shrunk = a.realloc(grown, big, half);
                        assert!(!shrunk.is_null());
                        assert_eq!(shrunk as usize % align, 0, "shrunk, align {align}");
                        assert!(
                            std::slice::from_raw_parts(shrunk, half)
                                .iter()
                                .all(|&b| b == k)
                        );
                        a.dealloc(shrunk, Layout::from_size_align(half, align).unwrap());
                    }
                }
            }
        }
    }
}
