/** Object-store layout. One place so API, worker and retention agree. */
export const objectKeys = {
  input: (jobId: string) => `jobs/${jobId}/input`,
  result: (jobId: string) => `jobs/${jobId}/result.json`,
  jobPrefix: (jobId: string) => `jobs/${jobId}/`,
  page: (jobId: string, page: number) => `jobs/${jobId}/pages/${page}.json`,
  pageError: (jobId: string, page: number) => `jobs/${jobId}/pages/${page}.error.json`,
  overlay: (jobId: string, page: number) => `jobs/${jobId}/overlays/${page}.png`,
  crop: (jobId: string, page: number, order: number, label: string) => `jobs/${jobId}/crops/${page}-${order}-${label}.png`,
  /** API path that serves an object under the job's prefix. */
  href: (jobId: string, key: string) => `/v1/jobs/${jobId}/files/${key.slice(`jobs/${jobId}/`.length)}`,
};
