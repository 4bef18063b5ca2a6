/* Placeholder so the module library has a source until its files land; delete when adding real ones. */
typedef int quire_placeholder_http;
