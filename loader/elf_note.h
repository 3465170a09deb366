/* SPDX-License-Identifier: MIT */
/* Internal to the loader: parses a block of ELF notes for the Xen PHYS32_ENTRY note. */
#ifndef PVH_ELF_NOTE_H
#define PVH_ELF_NOTE_H

#include <stddef.h>
#include <stdint.h>

struct pvh_note_result {
	int found;      /* a PHYS32_ENTRY note was seen */
	uint32_t entry; /* its low 32 bits */
};

/*
 * Walks the notes in buf[0, len) (records padded to `align`, 4 or 8) and updates *res.
 * Returns 0 or -EINVAL with a reason in err (without the file name) when a note header or
 * size overflows the area, the entry note has a descriptor other than 4 or 8 bytes, or two
 * entry notes disagree. `where` names the area in messages ("PT_NOTE segment 2").
 */
int pvh_note_scan(const uint8_t *buf, size_t len, size_t align, const char *where,
                  struct pvh_note_result *res, char *err, size_t errlen);

#endif
