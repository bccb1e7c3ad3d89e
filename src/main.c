/* Placeholder entry point; the CLI lands with the report command. */
#include <stdio.h>

int main(void)
{
    fputs("mcsb-audit: not implemented yet\n", stderr);
    return 2;
}
