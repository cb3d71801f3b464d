// Module ScaleOut: finetunes that run outside the workbench's process.
//
// The built-in trainer trains MicroLM on the CPU. When a finetune needs a GPU (LLaMA-2-7B in the paper) the
// workbench hands each job to an external program instead:
//
//   CommandTrainer (Trainer)           one job = one folder: subset.json (Alpaca), spec.json, result.json, logs
//     ├─ JobFolder / JobSpec            what the program reads; paths in the spec are relative to the folder
//     ├─ CommandTemplate / JobProcess   argv with {job} {spec} {output} placeholders, no shell, timeouts
//     ├─ ResultFile                     the program's answer, validated field by field
//     └─ JobLedger (in Training)        the store's `finetune` table: a finished job is never run again
//   SlurmSweep / SlurmQueue             the same job folders, submitted as one Slurm job array, ingested back
//   SlurmBackend                        a batch of finetunes as one array: wait for it or stop with a message
//   JobProgram                          the other side: spec.json in, an in-process Trainer, result.json out
//
// CommandTrainer and SlurmBackend are FinetuneBackends (Training): the profile's `oracle` picks one (Steps/Oracles).
//
// The Python programs that speak this protocol on GPUs live in paper-repro/gpu/; docs/scale-out.md explains the
// protocol and the cost of a full-scale reproduction.
