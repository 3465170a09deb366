// SPDX-License-Identifier: MIT
/*
 * Build check: ghcb/ghcb.h compiles as strict ISO C11 with -ffreestanding, for 32- and 64-bit
 * guests, with nothing but the compiler's own headers; the layout asserts run in both.
 */
#include "ghcb/ghcb.h"

uint64_t ghcb_freestanding_probe(struct ghcb *g);

uint64_t ghcb_freestanding_probe(struct ghcb *g)
{
	ghcb_clear_valid(g);
	ghcb_set_valid(g, GHCB_OFF(sw_exit_code));
	g->save.sw_exit_code = GHCB_EXIT_AP_JUMP_TABLE;
	return ghcb_msr_sev_info(GHCB_VERSION_MAX, GHCB_VERSION_MIN, 51) +
	       (uint64_t)ghcb_is_valid(g, GHCB_OFF(sw_exit_code));
}
