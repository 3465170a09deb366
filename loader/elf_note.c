// SPDX-License-Identifier: MIT
#include "loader/elf_note.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader/hvm_start_info.h"

#define NOTE_HDR_SIZE 12u

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Rounds up without overflow: n is bounded by the area length, far below SIZE_MAX. */
static size_t pad_to(size_t n, size_t align) { return (n + align - 1) & ~(align - 1); }

static int entry_note(const uint8_t *desc, uint32_t descsz, const char *where,
                      struct pvh_note_result *res, char *err, size_t errlen)
{
	/* Xen's pvh.pandoc uses 4 bytes, Linux writes 8 (_ASM_PTR): only the low 32 bits count. */
	if (descsz != 4 && descsz != 8) {
		snprintf(err, errlen,
		         "PHYS32_ENTRY note in %s has a %u-byte descriptor (expected 4 or 8)",
		         where, descsz);
		return -EINVAL;
	}
	uint32_t entry = le32(desc);
	if (res->found && res->entry != entry) {
		snprintf(err, errlen, "conflicting PHYS32_ENTRY notes (0x%x and 0x%x) in %s",
		         res->entry, entry, where);
		return -EINVAL;
	}
	res->found = 1;
	res->entry = entry;
	return 0;
}

int pvh_note_scan(const uint8_t *buf, size_t len, size_t align, const char *where,
                  struct pvh_note_result *res, char *err, size_t errlen)
{
	size_t off = 0;
	while (off < len) {
		if (len - off < NOTE_HDR_SIZE) {
			snprintf(err, errlen, "truncated note header at offset 0x%zx of %s", off,
			         where);
			return -EINVAL;
		}
		uint32_t namesz = le32(buf + off), descsz = le32(buf + off + 4);
		uint32_t type = le32(buf + off + 8);
		size_t name_off = off + NOTE_HDR_SIZE, room = len - name_off;
		if (namesz > room || pad_to(namesz, align) > room) {
			snprintf(err, errlen,
			         "note at offset 0x%zx of %s: name size %u overflows the note area",
			         off, where, namesz);
			return -EINVAL;
		}
		size_t desc_off = name_off + pad_to(namesz, align);
		if (descsz > len - desc_off) {
			snprintf(
			    err, errlen,
			    "note at offset 0x%zx of %s: descriptor size %u overflows the note "
			    "area",
			    off, where, descsz);
			return -EINVAL;
		}
		if (namesz == 4 && memcmp(buf + name_off, "Xen", 4) == 0 &&
		    type == XEN_ELFNOTE_PHYS32_ENTRY) {
			int r = entry_note(buf + desc_off, descsz, where, res, err, errlen);
			if (r)
				return r;
		}
		/* The last note may omit its trailing padding. */
		size_t next = pad_to(descsz, align);
		off = desc_off + (next < len - desc_off ? next : len - desc_off);
	}
	return 0;
}
