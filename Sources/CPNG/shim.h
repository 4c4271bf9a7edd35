#include <png.h>

/* Function-like macros Swift cannot import, as constants. */
static const unsigned int litopt_png_image_version = PNG_IMAGE_VERSION;
static const unsigned int litopt_png_format_rgba = PNG_FORMAT_RGBA;
