// Module ScaleOut: finetunes that run outside the workbench's process.
//
// The built-in trainer trains MicroLM on the CPU. When a finetune needs a GPU (LLaMA-2-7B in the paper) the
// workbench hands each job to an external program instead:
//
//   CommandTrainer (Trainer)           one job = one folder: subset.json (Alpaca), spec.json, result.json, logs
//     ├─ JobFolder / JobSpec            what the program reads; paths in the spec are relative to the folder
//     ├─ CommandTemplate / JobProcess   argv with {job} {spec} {output} placeholders, no shell, timeouts
//     ├─ ResultFile                     the program's answer, validated field by field
//     └─ JobLedger                      the store's `finetune` table: a finished job is never run again
//   SlurmSweep                          the same job folders, submitted as one Slurm job array, ingested back
//
// The Python programs that speak this protocol on GPUs live in paper-repro/gpu/; docs/scale-out.md explains the
// protocol and the cost of a full-scale reproduction.
