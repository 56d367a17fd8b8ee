package dev.nsdp.control.cli;

/**
 * One parsed command, ready to run. Parsing never touches the kernel, so a batch is checked whole
 * before any of it runs; running returns the exit status.
 */
interface Action {
    int run(CliContext context);
}
