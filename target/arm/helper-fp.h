/* FP and AdvSIMD helpers (vfp_helper.c, neon_helper.c). */
