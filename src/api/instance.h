/*
 * The VMM instance the control API acts on: its configuration before the
 * guest starts (boot source, machine config, drives), the hand-off that
 * lets the main thread build and start the machine when the API asks, and
 * the running machine afterwards.
 *
 * Threads: the API server thread reads and changes the instance under
 * `lock`; the main thread waits in api_instance_wait_start() and attaches
 * the machine once it runs.  The machine pointer is only used under the
 * lock, so the main thread can detach and destroy it safely.
 */
#ifndef POPEK_API_INSTANCE_H
#define POPEK_API_INSTANCE_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "machine/virt.h"

#define API_ID_MAX 64
#define API_BOOT_ARGS_MAX 2048
#define API_DRIVE_ID_MAX 64

struct run_args;

struct api_drive {
	char drive_id[API_DRIVE_ID_MAX];
	char path_on_host[PATH_MAX];
	bool is_root_device;
	bool is_read_only;
};

struct api_config {
	char kernel_image_path[PATH_MAX];
	char initrd_path[PATH_MAX];        /* "" when none */
	char boot_args[API_BOOT_ARGS_MAX];
	char firmware[PATH_MAX];           /* from the command line; "" for none */
	uint64_t vcpu_count;
	uint64_t mem_size_mib;
	struct api_drive drives[VIRT_MAX_DISKS];
	int ndrives;
	bool console_stdio;
};

enum api_start_phase {
	API_START_IDLE,         /* waiting for configuration */
	API_START_REQUESTED,    /* InstanceStart: the main thread is building */
	API_START_FAILED,       /* the build failed, reason in start_error */
	API_START_DONE,         /* the machine runs */
	API_START_QUIT,         /* stopped before it ever started */
};

struct api_instance {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char id[API_ID_MAX];
	struct api_config cfg;
	enum api_start_phase phase;
	char start_error[512];
	struct virt_machine *vm;    /* attached while the machine runs */
	bool exited;                /* the machine ran and has stopped */
	uint64_t requests, faults;  /* API statistics */
	int quit_code;              /* stopped before start: exit status */
	char quit_message[128];     /* and the line to print ("" for none) */
	/* --restore or PUT /snapshot/load: the machine is rebuilt from this
	 * snapshot instead of booted (src/machine/snapshot.h). */
	char restore_state[PATH_MAX];   /* "" to boot normally */
	char restore_mem[PATH_MAX];     /* "" for the memory file the state names */
	bool restore_paused;            /* resume_vm false: start paused */
};

/* Set up from the parsed command line (the API may change it before start). */
int api_instance_init(struct api_instance *in, const char *id, const struct run_args *a);
void api_instance_destroy(struct api_instance *in);

/* Main thread: block until InstanceStart (returns 0) or a stop before start
 * (returns -ECANCELED). */
int api_instance_wait_start(struct api_instance *in);
/* Main thread, booting without --no-boot: the configuration is being used
 * from now on, so the API must treat the machine as starting. */
void api_instance_claim_start(struct api_instance *in);
/* Main thread: report how building the machine went (vm NULL on failure). */
void api_instance_start_result(struct api_instance *in, struct virt_machine *vm, const char *error);
/* Stop from the host side (a termination signal): the running machine
 * stops with exit status code and message; a machine not started yet is
 * not started, and the process exits with code.  Any thread. */
void api_instance_stop(struct api_instance *in, int code, const char *message);
/* The same with the lock already held (API handlers). */
void api_instance_stop_locked(struct api_instance *in, int code, const char *message);

/* Main thread: the machine has stopped and is about to be destroyed. */
void api_instance_detach(struct api_instance *in);

/* The machine configuration the instance describes, on top of vc's other
 * settings (from the command line); strings stay owned by the instance.
 * Returns 0 or -EINVAL with a reason (e.g. two root drives). */
int api_instance_virt_config(const struct api_instance *in, struct virt_config *vc,
			     char *boot_args_buf, size_t buflen, char *err, size_t errlen);

#endif
