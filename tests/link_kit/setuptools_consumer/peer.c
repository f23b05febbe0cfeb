/* setuptools refuses sources outside the project: the shared consumer source
 * (tests/link_kit/consumer.c) comes in through the preprocessor instead. */
#include "../consumer.c"
