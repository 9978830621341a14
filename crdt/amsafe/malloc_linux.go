//go:build linux && cgo

package amsafe

/*
#include <malloc.h>

// Runs before the Go runtime starts its threads (as runc's nsenter does):
// glibc fixes its arena limit once a few arenas exist.
__attribute__((constructor)) static void pwg_malloc_setup(void) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 1);
#endif
}

static void pwg_malloc_trim(void) {
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}
*/
import "C"

// Automerge's Rust core allocates with the C allocator, from whichever OS
// thread the goroutine calling it runs on. glibc gives threads their own
// arenas (up to 8 per core), so a document's many small allocations spread
// over several arenas whose free space no other arena reuses: replaying
// seph-blog1 with a peer connected peaked at 193 MB RSS, 158 MB with one
// arena. pwg's C allocations are all Automerge's, made under a document's
// lock, so one arena costs no contention worth measuring. The limit is set
// by a C constructor, before the Go runtime starts threads: set later, glibc
// keeps the arenas made meanwhile.

// TrimMemory returns the C heap's free memory to the system (after a large
// document was unloaded or reloaded).
func TrimMemory() { C.pwg_malloc_trim() }
