/* JSON API v1 handlers for collections and gifts (docs/api.md, "Collections" and "Gifts"). */
#ifndef QUIRE_API_COLLECTIONS_API_H
#define QUIRE_API_COLLECTIONS_API_H
#include "front/front.h"

void api_collections_list(struct web_req *w);         /* GET    /collections */
void api_collection_create(struct web_req *w);        /* POST   /collections */
void api_collection_get(struct web_req *w);           /* GET    /collections/:name */
void api_collection_update(struct web_req *w);        /* PATCH  /collections/:name */
void api_collection_delete(struct web_req *w);        /* DELETE /collections/:name */
void api_collection_works(struct web_req *w);         /* GET    /collections/:name/works */
void api_collection_members(struct web_req *w);       /* GET    /collections/:name/members */
void api_collection_member_put(struct web_req *w);    /* PUT    /collections/:name/members/:user */
void api_collection_member_delete(struct web_req *w); /* DELETE /collections/:name/members/:user */
void api_collection_items(struct web_req *w);         /* GET    /collections/:name/items?state= */
void api_collection_item_add(struct web_req *w);      /* POST   /collections/:name/items */
void api_collection_item_decide(struct web_req *w);   /* POST   /collections/:name/items/:id */
void api_collection_reveal(struct web_req *w);        /* POST   /collections/:name/reveal */
void api_user_gifts(struct web_req *w);               /* GET    /users/:name/gifts */
void api_gift_refuse(struct web_req *w);              /* POST   /gifts/:id/refuse */
/* exchanges.c: gift exchanges */
void api_exchange_get(struct web_req *w);             /* GET    /collections/:name/exchange */
void api_exchange_put(struct web_req *w);             /* PUT    /collections/:name/exchange */
void api_signup_get(struct web_req *w);               /* GET    /collections/:name/signup (the caller's) */
void api_signup_put(struct web_req *w);               /* PUT    /collections/:name/signup */
void api_signup_delete(struct web_req *w);            /* DELETE /collections/:name/signup */
void api_signups_list(struct web_req *w);             /* GET    /collections/:name/signups */
void api_exchange_match(struct web_req *w);           /* POST   /collections/:name/matching */
void api_exchange_send(struct web_req *w);            /* POST   /collections/:name/assignments/send */
void api_exchange_assignments(struct web_req *w);     /* GET    /collections/:name/assignments */
void api_my_assignments(struct web_req *w);           /* GET    /assignments */
void api_assignment_get(struct web_req *w);           /* GET    /assignments/:id */
void api_assignment_update(struct web_req *w);        /* PATCH  /assignments/:id */
void api_assignment_default(struct web_req *w);       /* POST   /assignments/:id/default */
void api_assignment_claim(struct web_req *w);         /* POST   /assignments/:id/claim */
/* prompts.c: prompt memes */
void api_prompts_list(struct web_req *w);             /* GET    /collections/:name/prompts */
void api_prompt_create(struct web_req *w);            /* POST   /collections/:name/prompts */
void api_prompt_get(struct web_req *w);               /* GET    /prompts/:id */
void api_prompt_delete(struct web_req *w);            /* DELETE /prompts/:id */
void api_prompt_claim(struct web_req *w);             /* POST   /prompts/:id/claim */
void api_prompt_unclaim(struct web_req *w);           /* DELETE /prompts/:id/claim */
void api_my_claims(struct web_req *w);                /* GET    /claims */
/* A single work's answer also lists the prompts it fills. */
void api_work_json_prompts(struct web_req *w, json_t *o, int64_t work_id);
/* related.c: related works */
void api_work_related(struct web_req *w);             /* GET    /works/:id/related (its creators) */
void api_work_related_approve(struct web_req *w);     /* POST   /works/:id/related/:rid */
/* A single work's answer also lists what it comes from (related) and the approved works from it (related_back). */
void api_work_json_related(struct web_req *w, json_t *o, int64_t work_id);

struct collection;
/* A collection object (a new reference); role is the caller's (enum collection_role). */
json_t *api_collection_json(struct arena *a, const struct collection *c, int role);
/* A single work's answer also lists its collections (approved on both sides) and gifts (not refused). */
void api_work_json_collections(struct web_req *w, json_t *o, int64_t work_id);
/* GET /works with a collection: the listing of api_works_find (listing.c) within collection_id. */
void api_works_find_in(struct web_req *w, int64_t collection_id, bool with_unrevealed);
#endif
