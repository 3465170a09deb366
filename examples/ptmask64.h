/* SPDX-License-Identifier: MIT */
/* The extra page-table bits ptmask64 sets from its hook (shared by its assembly and C). */
#ifndef PTMASK64_H
#define PTMASK64_H

/* Bits 9 and 11: available to software in every paging-structure entry, ignored in CR3. */
#define PTMASK64_BITS_LO 0xa00
#define PTMASK64_BITS_HI 0x0

#endif
