/*
 * The application: Pyrite owns the console (CONFIG_PYRITE_CONSOLE_REPL) and
 * runs the frozen main.py at boot, then its REPL. main() has nothing left to
 * do.
 */
int main(void)
{
	return 0;
}
