#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

/* FT_LOAD_TARGET_LIGHT is a function-like macro Swift cannot import; as a constant. */
static const int litopt_ft_load_target_light = FT_LOAD_TARGET_LIGHT;
