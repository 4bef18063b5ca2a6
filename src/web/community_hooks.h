/* Where running a community plugs into the rest of the web application: each is called from one line elsewhere
 * (the sign-up form, the request entry, the layout). */
#ifndef QUIRE_WEB_COMMUNITY_HOOKS_H
#define QUIRE_WEB_COMMUNITY_HOOKS_H
#include <jansson.h>
#include "html/tpl.h"
#include "web/web.h"

/* The sign-up form (account.c): data.signup {mode, closed, invitation_only, terms} for templates/account/signup. */
void community_signup_form(struct web_req *w, json_t *d);
/* web_handle (app.c), after the session is loaded: a logged-in reader who has not accepted the current terms is
 * sent to /accept (pages only; the terms themselves, log-out and static files stay open). True when it answered. */
bool community_gate(struct web_req *w);
/* The layout (render.c): the site's name, the banner (unless this visitor dismissed it) and the footer's pages,
 * as C values appended to vars (returns how many; at most COMMUNITY_LAYOUT_VARS). Strings live in the arena. */
#define COMMUNITY_LAYOUT_VARS 6
size_t community_layout(struct web_req *w, struct tpl_var *vars, const char **site_name);
/* The cache key's part for the layout's personal bit (the banner dismissed or not), for guests' cached pages. */
const char *community_cache_variant(struct web_req *w);
#endif
