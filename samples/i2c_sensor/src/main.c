/*
 * Python in the shell ('py'), with machine.I2C reaching the board's I2C
 * buses by their devicetree names: the session is the program.
 */
int main(void)
{
	return 0;
}
