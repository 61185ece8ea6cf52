//! Deep recursion on a stack of its own: the YAML parser and the checker recurse along the
//! nesting of a document, which the caller's stack (a proc macro's, say) may not have room for.

/// Runs `task` on a thread with a stack of `bytes` and returns its result; runs it on the
/// current thread when no thread can be had. A panic in `task` is resumed on this thread, not
/// turned into an error.
pub fn with_stack<T: Send>(bytes: usize, mut task: impl FnMut() -> T + Send) -> T {
    let spawned = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("arazzo-compiler".to_owned())
            .stack_size(bytes)
            .spawn_scoped(scope, &mut task)
            .map(|handle| handle.join())
    });
    match spawned {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => task(),
    }
}
