// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model_ld.h"
#include "sev/backend.h"

void model_ld_of(const struct guest_mem *mem, const struct region_list *regions,
                 const struct cpu_state *vcpus, size_t nvcpus, const struct vmsa_options *o,
                 uint8_t ld[32])
{
	struct sev_model_config mc;
	struct sev_model *m;
	struct sev_backend b;
	struct sev_launch_config lc;
	struct sev_launch_result res;
	sev_model_config_default(&mc);
	assert_int_equal(sev_model_new(&m, &mc), 0);
	sev_backend_model(&b, m, o);
	sev_launch_config_default(&lc);
	assert_int_equal(sev_launch_run(&b, &lc, mem, regions, vcpus, nvcpus, &res, NULL, 0), 0);
	assert_int_equal(sev_model_ld(m, ld), 0);
	sev_launch_result_free(&res);
	sev_model_free(m);
}
