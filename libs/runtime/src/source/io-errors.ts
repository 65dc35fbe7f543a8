/** File system error codes that will not go away by trying again. */
const PERMANENT_CODES: ReadonlySet<string> = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENAMETOOLONG', 'ELOOP'])

/**
 * Whether a failed file system call may succeed when the job is restarted (`EMFILE`, `EIO`,
 * `ENOSPC`: yes; a missing file or a permission problem: no).
 *
 * @internal
 */
export const isRetriableIoError = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && !PERMANENT_CODES.has(code)
}

/** A short reason for a failed file system call: the message of a Node error, which holds its code. @internal */
export const ioReason = (e: unknown): string => (e instanceof Error ? e.message : String(e))
