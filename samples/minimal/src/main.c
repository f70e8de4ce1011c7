/*
 * Minimal Pyrite: the module's Python thread owns the console and starts the
 * REPL at boot (CONFIG_PYRITE_CONSOLE_REPL); main has nothing to do.
 */
int main(void)
{
	return 0;
}
