/* A linear pre-scan of a JSON body for its shape, before the parser builds anything: nesting depth, items
 * per array and values in all, so a hostile body is refused at the cost of reading it once. */
#ifndef QUIRE_API_JSON_SCAN_H
#define QUIRE_API_JSON_SCAN_H
#include <stddef.h>

#define API_JSON_DEPTH_MAX 32        /* arrays and objects inside each other */
#define API_JSON_ARRAY_MAX 10000     /* items of one array (a work has at most 10,000 chapters to order) */
#define API_JSON_VALUES_MAX 100000   /* values of the whole body, members and items together */

/* NULL when body[0..len) stays within the limits above, else a message saying which one it breaks. The
 * scan does not validate the JSON (the parser does): it only bounds what parsing it may cost. */
const char *api_json_scan(const char *body, size_t len);
#endif
