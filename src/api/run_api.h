/*
 * `popek run --api-sock PATH`: the machine under control of the API.
 * Starts the API server, registers the VM in the runtime directory, boots
 * at once or (with --no-boot) when the API says InstanceStart, runs the
 * machine, and cleans up.  Returns the process exit status, as cli_run().
 */
#ifndef POPEK_API_RUN_API_H
#define POPEK_API_RUN_API_H

struct run_args;
struct virt_config;

/* base: the machine the command line describes; the API's resources
 * (boot source, machine config, drives) replace their parts of it. */
int api_run_machine(struct run_args *a, const struct virt_config *base);

#endif
