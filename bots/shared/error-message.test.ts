import { describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import { errorMessage } from './error-message.js';
import { en, id } from './i18n/index.js';

describe('errorMessage', () => {
  it('tells how much is needed and how to top up', () => {
    const error = new CoreError('insufficient_balance', 'x', {
      details: { needed_mrp: 2_500n, balance_mrp: 1_000 },
    });
    expect(errorMessage(error, id)).toBe(
      'Saldo tidak cukup (perkiraan untuk jawaban terpanjang yang mungkin: Rp 3; saldo Rp 1). ' +
        'Isi saldo dengan /topup JUMLAH, pilih model yang lebih murah dengan /model, atau mulai percakapan baru dengan /new.',
    );
    expect(errorMessage(error, en)).toContain('/topup AMOUNT');
  });

  it('says when to retry after a rate limit', () => {
    const error = new CoreError('rate_limited', 'x', { details: { retry_after_s: 29.1 } });
    expect(errorMessage(error, en)).toBe('Too many requests. Please try again in 30 seconds.');
    expect(errorMessage(new CoreError('rate_limited', 'x'), id)).toContain('Coba lagi sebentar lagi');
  });

  it('maps the remaining codes to their messages', () => {
    expect(
      errorMessage(new CoreError('upstream_unavailable', 'x', { details: { model: 'gpt-4o' } }), en),
    ).toContain('gpt-4o');
    expect(errorMessage(new CoreError('model_not_found', 'x'), id)).toBe(id.modelUnavailable({}));
    expect(errorMessage(new CoreError('content_refused', 'x'), id)).toBe(id.contentRefused());
    expect(errorMessage(new CoreError('payload_too_large', 'x'), id)).toBe(id.inputTooLong());
    const context = new CoreError('invalid_request', 'x', { details: { reason: 'context_length_exceeded' } });
    expect(errorMessage(context, id)).toBe(id.inputTooLong());
    expect(errorMessage(new CoreError('invalid_request', 'x'), id)).toBe(id.invalidRequest());
    expect(errorMessage(new CoreError('account_suspended', 'x'), en)).toBe(en.accountSuspended());
    expect(errorMessage(new CoreError('internal', 'secret detail'), en)).toBe(en.generationFailed());
  });

  it('never leaks a foreign error message', () => {
    expect(errorMessage(new Error('db password wrong'), en)).toBe(en.generationFailed());
    expect(errorMessage('boom', id)).toBe(id.generationFailed());
  });

  it('names the medium when an image or a video failed', () => {
    expect(errorMessage(new CoreError('upstream_error', 'x'), id, 'video')).toBe(
      'Video gagal dibuat. Saldo tidak dipotong. Silakan coba lagi.',
    );
    expect(errorMessage(new Error('boom'), en, 'image')).toBe(en.mediaFailed({ kind: 'image' }));
    // Failures with their own message keep it.
    expect(errorMessage(new CoreError('content_refused', 'x'), id, 'video')).toBe(id.contentRefused());
  });
});
