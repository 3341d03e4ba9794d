/** Object-store layout. One place so API, worker and retention agree. */
export const objectKeys = {
  input: (jobId: string) => `jobs/${jobId}/input`,
  result: (jobId: string) => `jobs/${jobId}/result.json`,
  jobPrefix: (jobId: string) => `jobs/${jobId}/`,
};
