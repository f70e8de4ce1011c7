/*
 * Minimal Pyrite: the module owns the console and starts the REPL at boot
 * (CONFIG_PYRITE_CONSOLE_REPL). On this kernel without threads it runs at
 * the end of start-up, in main's place, so main is not reached.
 */
int main(void)
{
	return 0;
}
