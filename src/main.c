/* Quire entry point (placeholder until the CLI lands). */
#include <stdio.h>
int main(void)
{
	puts("quire " QUIRE_VERSION);
	return 0;
}
