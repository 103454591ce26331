namespace ContactCenter.Domain.Common;

/// <summary>An expected failure: a stable machine code and a human message. Not an exception.</summary>
public sealed record Error(string Code, string Message)
{
    public static Error Validation(string code, string message) => new($"validation.{code}", message);
    public static Error NotFound(string what) => new("not_found", $"{what} was not found.");
    public static Error Conflict(string code, string message) => new($"conflict.{code}", message);
    public static Error Forbidden(string message) => new("forbidden", message);
}

public readonly struct Result
{
    private Result(Error? error) => Error = error;

    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    public static Result Success() => new(null);
    public static Result Failure(Error error) => new(error);

    public static implicit operator Result(Error error) => Failure(error);
}

public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Code}");

    public static Result<T> Success(T value) => new(value, null);
    public static Result<T> Failure(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => Success(value);
    public static implicit operator Result<T>(Error error) => Failure(error);
}
