/*! ContactCenter chat widget | bundles @microsoft/signalr 10.0.11 (MIT, (c) .NET Foundation) */
(()=>{var V=(o=>typeof require<"u"?require:typeof Proxy<"u"?new Proxy(o,{get:(e,t)=>(typeof require<"u"?require:e)[t]}):o)(function(o){if(typeof require<"u")return require.apply(this,arguments);throw Error('Dynamic require of "'+o+'" is not supported')});var E=class extends Error{constructor(e,t){let n=new.target.prototype;super(`${e}: Status code '${t}'`),this.statusCode=t,this.__proto__=n}},U=class extends Error{constructor(e="A timeout occurred."){let t=new.target.prototype;super(e),this.__proto__=t}},C=class extends Error{constructor(e="An abort occurred."){let t=new.target.prototype;super(e),this.__proto__=t}},we=class extends Error{constructor(e,t){let n=new.target.prototype;super(e),this.transport=t,this.errorType="UnsupportedTransportError",this.__proto__=n}},Se=class extends Error{constructor(e,t){let n=new.target.prototype;super(e),this.transport=t,this.errorType="DisabledTransportError",this.__proto__=n}},ye=class extends Error{constructor(e,t){let n=new.target.prototype;super(e),this.transport=t,this.errorType="FailedToStartTransportError",this.__proto__=n}},se=class extends Error{constructor(e){let t=new.target.prototype;super(e),this.errorType="FailedToNegotiateWithServerError",this.__proto__=t}},xe=class extends Error{constructor(e,t){let n=new.target.prototype;super(e),this.innerErrors=t,this.__proto__=n}};var J=class{constructor(e,t,n){this.statusCode=e,this.statusText=t,this.content=n}},D=class{get(e,t){return this.send({...t,method:"GET",url:e})}post(e,t){return this.send({...t,method:"POST",url:e})}delete(e,t){return this.send({...t,method:"DELETE",url:e})}getCookieString(e){return""}};var c;(function(o){o[o.Trace=0]="Trace",o[o.Debug=1]="Debug",o[o.Information=2]="Information",o[o.Warning=3]="Warning",o[o.Error=4]="Error",o[o.Critical=5]="Critical",o[o.None=6]="None"})(c||(c={}));var $=class{constructor(){}log(e,t){}};$.instance=new $;var gt="10.0.11";var b=class{static isRequired(e,t){if(e==null)throw new Error(`The '${t}' argument is required.`)}static isNotEmpty(e,t){if(!e||e.match(/^\s*$/))throw new Error(`The '${t}' argument should not be empty.`)}static isIn(e,t,n){if(!(e in t))throw new Error(`Unknown ${n} value: ${e}.`)}},w=class o{static get isBrowser(){return!o.isNode&&typeof window=="object"&&typeof window.document=="object"}static get isWebWorker(){return!o.isNode&&typeof self=="object"&&"importScripts"in self}static get isReactNative(){return!o.isNode&&typeof window=="object"&&typeof window.document>"u"}static get isNode(){return typeof process<"u"&&process.release&&process.release.name==="node"}};function j(o,e){let t="";return P(o)?(t=`Binary data of length ${o.byteLength}`,e&&(t+=`. Content: '${Ot(o)}'`)):typeof o=="string"&&(t=`String data of length ${o.length}`,e&&(t+=`. Content: '${o}'`)),t}function Ot(o){let e=new Uint8Array(o),t="";return e.forEach(n=>{let r=n<16?"0":"";t+=`0x${r}${n.toString(16)} `}),t.substring(0,t.length-1)}function P(o){return o&&typeof ArrayBuffer<"u"&&(o instanceof ArrayBuffer||o.constructor&&o.constructor.name==="ArrayBuffer")}async function Ce(o,e,t,n,r,s){let a={},[h,u]=M();a[h]=u,o.log(c.Trace,`(${e} transport) sending data. ${j(r,s.logMessageContent)}.`);let d=P(r)?"arraybuffer":"text",g=await t.post(n,{content:r,headers:{...a,...s.headers},responseType:d,timeout:s.timeout,withCredentials:s.withCredentials});o.log(c.Trace,`(${e} transport) request complete. Response status: ${g.statusCode}.`)}function pt(o){return o===void 0?new z(c.Information):o===null?$.instance:o.log!==void 0?o:new z(o)}var ve=class{constructor(e,t){this._subject=e,this._observer=t}dispose(){let e=this._subject.observers.indexOf(this._observer);e>-1&&this._subject.observers.splice(e,1),this._subject.observers.length===0&&this._subject.cancelCallback&&this._subject.cancelCallback().catch(t=>{})}},z=class{constructor(e){this._minLevel=e,this.out=console}log(e,t){if(e>=this._minLevel){let n=`[${new Date().toISOString()}] ${c[e]}: ${t}`;switch(e){case c.Critical:case c.Error:this.out.error(n);break;case c.Warning:this.out.warn(n);break;case c.Information:this.out.info(n);break;default:this.out.log(n);break}}}};function M(){let o="X-SignalR-User-Agent";return w.isNode&&(o="User-Agent"),[o,Ft(gt,zt(),Kt(),qt())]}function Ft(o,e,t,n){let r="Microsoft SignalR/",s=o.split(".");return r+=`${s[0]}.${s[1]}`,r+=` (${o}; `,e&&e!==""?r+=`${e}; `:r+="Unknown OS; ",r+=`${t}`,n?r+=`; ${n}`:r+="; Unknown Runtime Version",r+=")",r}function zt(){if(w.isNode)switch(process.platform){case"win32":return"Windows NT";case"darwin":return"macOS";case"linux":return"Linux";default:return process.platform}else return""}function qt(){if(w.isNode)return process.versions.node}function Kt(){return w.isNode?"NodeJS":"Browser"}function ke(o){return o.stack?o.stack:o.message?o.message:`${o}`}function _t(){if(typeof globalThis<"u")return globalThis;if(typeof self<"u")return self;if(typeof window<"u")return window;if(typeof global<"u")return global;throw new Error("could not find global")}var Ee=class extends D{constructor(e){if(super(),this._logger=e,typeof fetch>"u"||w.isNode){let t=typeof __webpack_require__=="function"?__non_webpack_require__:V;this._jar=new(t("tough-cookie")).CookieJar,typeof fetch>"u"?this._fetchType=t("node-fetch"):this._fetchType=fetch,this._fetchType=t("fetch-cookie")(this._fetchType,this._jar)}else this._fetchType=fetch.bind(_t());if(typeof AbortController>"u"){let t=typeof __webpack_require__=="function"?__non_webpack_require__:V;this._abortControllerType=t("abort-controller")}else this._abortControllerType=AbortController}async send(e){if(e.abortSignal&&e.abortSignal.aborted)throw new C;if(!e.method)throw new Error("No method defined.");if(!e.url)throw new Error("No url defined.");let t=new this._abortControllerType,n;e.abortSignal&&(e.abortSignal.onabort=()=>{t.abort(),n=new C});let r=null;if(e.timeout){let u=e.timeout;r=setTimeout(()=>{t.abort(),this._logger.log(c.Warning,"Timeout from HTTP request."),n=new U},u)}e.content===""&&(e.content=void 0),e.content&&(e.headers=e.headers||{},P(e.content)?e.headers["Content-Type"]="application/octet-stream":e.headers["Content-Type"]="text/plain;charset=UTF-8");let s;try{s=await this._fetchType(e.url,{body:e.content,cache:"no-cache",credentials:e.withCredentials===!0?"include":"same-origin",headers:{"X-Requested-With":"XMLHttpRequest",...e.headers},method:e.method,mode:"cors",redirect:"follow",signal:t.signal})}catch(u){throw n||(this._logger.log(c.Warning,`Error from HTTP request. ${u}.`),u)}finally{r&&clearTimeout(r),e.abortSignal&&(e.abortSignal.onabort=null)}if(!s.ok){let u=await mt(s,"text");throw new E(u||s.statusText,s.status)}let h=await mt(s,e.responseType);return new J(s.status,s.statusText,h)}getCookieString(e){let t="";return w.isNode&&this._jar&&this._jar.getCookies(e,(n,r)=>t=r.join("; ")),t}};function mt(o,e){let t;switch(e){case"arraybuffer":t=o.arrayBuffer();break;case"text":t=o.text();break;case"blob":case"document":case"json":throw new Error(`${e} is not supported.`);default:t=o.text();break}return t}var Ie=class extends D{constructor(e){super(),this._logger=e}send(e){return e.abortSignal&&e.abortSignal.aborted?Promise.reject(new C):e.method?e.url?new Promise((t,n)=>{let r=new XMLHttpRequest;r.open(e.method,e.url,!0),r.withCredentials=e.withCredentials===void 0?!0:e.withCredentials,r.setRequestHeader("X-Requested-With","XMLHttpRequest"),e.content===""&&(e.content=void 0),e.content&&(P(e.content)?r.setRequestHeader("Content-Type","application/octet-stream"):r.setRequestHeader("Content-Type","text/plain;charset=UTF-8"));let s=e.headers;s&&Object.keys(s).forEach(a=>{r.setRequestHeader(a,s[a])}),e.responseType&&(r.responseType=e.responseType),e.abortSignal&&(e.abortSignal.onabort=()=>{r.abort(),n(new C)}),e.timeout&&(r.timeout=e.timeout),r.onload=()=>{e.abortSignal&&(e.abortSignal.onabort=null),r.status>=200&&r.status<300?t(new J(r.status,r.statusText,r.response||r.responseText)):n(new E(r.response||r.responseText||r.statusText,r.status))},r.onerror=()=>{this._logger.log(c.Warning,`Error from HTTP request. ${r.status}: ${r.statusText}.`),n(new E(r.statusText,r.status))},r.ontimeout=()=>{this._logger.log(c.Warning,"Timeout from HTTP request."),n(new U)},r.send(e.content)}):Promise.reject(new Error("No url defined.")):Promise.reject(new Error("No method defined."))}};var Te=class extends D{constructor(e){if(super(),typeof fetch<"u"||w.isNode)this._httpClient=new Ee(e);else if(typeof XMLHttpRequest<"u")this._httpClient=new Ie(e);else throw new Error("No usable HttpClient found.")}send(e){return e.abortSignal&&e.abortSignal.aborted?Promise.reject(new C):e.method?e.url?this._httpClient.send(e):Promise.reject(new Error("No url defined.")):Promise.reject(new Error("No method defined."))}getCookieString(e){return this._httpClient.getCookieString(e)}};var I=class o{static write(e){return`${e}${o.RecordSeparator}`}static parse(e){if(e[e.length-1]!==o.RecordSeparator)throw new Error("Message is incomplete.");let t=e.split(o.RecordSeparator);return t.pop(),t}};I.RecordSeparatorCode=30;I.RecordSeparator=String.fromCharCode(I.RecordSeparatorCode);var Pe=class{writeHandshakeRequest(e){return I.write(JSON.stringify(e))}parseHandshakeResponse(e){let t,n;if(P(e)){let h=new Uint8Array(e),u=h.indexOf(I.RecordSeparatorCode);if(u===-1)throw new Error("Message is incomplete.");let d=u+1;t=String.fromCharCode.apply(null,Array.prototype.slice.call(h.slice(0,d))),n=h.byteLength>d?h.slice(d).buffer:null}else{let h=e,u=h.indexOf(I.RecordSeparator);if(u===-1)throw new Error("Message is incomplete.");let d=u+1;t=h.substring(0,d),n=h.length>d?h.substring(d):null}let r=I.parse(t),s=JSON.parse(r[0]);if(s.type)throw new Error("Expected a handshake response from the server.");return[n,s]}};var p;(function(o){o[o.Invocation=1]="Invocation",o[o.StreamItem=2]="StreamItem",o[o.Completion=3]="Completion",o[o.StreamInvocation=4]="StreamInvocation",o[o.CancelInvocation=5]="CancelInvocation",o[o.Ping=6]="Ping",o[o.Close=7]="Close",o[o.Ack=8]="Ack",o[o.Sequence=9]="Sequence"})(p||(p={}));var Re=class{constructor(){this.observers=[]}next(e){for(let t of this.observers)t.next(e)}error(e){for(let t of this.observers)t.error&&t.error(e)}complete(){for(let e of this.observers)e.complete&&e.complete()}subscribe(e){return this.observers.push(e),new ve(this,e)}};var Ae=class{constructor(e,t,n){this._bufferSize=1e5,this._messages=[],this._totalMessageCount=0,this._waitForSequenceMessage=!1,this._nextReceivingSequenceId=1,this._latestReceivedSequenceId=0,this._bufferedByteCount=0,this._reconnectInProgress=!1,this._protocol=e,this._connection=t,this._bufferSize=n}async _send(e){let t=this._protocol.writeMessage(e),n=Promise.resolve();if(this._isInvocationMessage(e)){this._totalMessageCount++;let r=()=>{},s=()=>{};P(t)?this._bufferedByteCount+=t.byteLength:this._bufferedByteCount+=t.length,this._bufferedByteCount>=this._bufferSize&&(n=new Promise((a,h)=>{r=a,s=h})),this._messages.push(new Ze(t,this._totalMessageCount,r,s))}try{this._reconnectInProgress||await this._connection.send(t)}catch{this._disconnected()}await n}_ack(e){let t=-1;for(let n=0;n<this._messages.length;n++){let r=this._messages[n];if(r._id<=e.sequenceId)t=n,P(r._message)?this._bufferedByteCount-=r._message.byteLength:this._bufferedByteCount-=r._message.length,r._resolver();else if(this._bufferedByteCount<this._bufferSize)r._resolver();else break}t!==-1&&(this._messages=this._messages.slice(t+1))}_shouldProcessMessage(e){if(this._waitForSequenceMessage)return e.type!==p.Sequence?!1:(this._waitForSequenceMessage=!1,!0);if(!this._isInvocationMessage(e))return!0;let t=this._nextReceivingSequenceId;return this._nextReceivingSequenceId++,t<=this._latestReceivedSequenceId?(t===this._latestReceivedSequenceId&&this._ackTimer(),!1):(this._latestReceivedSequenceId=t,this._ackTimer(),!0)}_resetSequence(e){if(e.sequenceId>this._nextReceivingSequenceId){this._connection.stop(new Error("Sequence ID greater than amount of messages we've received."));return}this._nextReceivingSequenceId=e.sequenceId}_disconnected(){this._reconnectInProgress=!0,this._waitForSequenceMessage=!0}async _resend(){let e=this._messages.length!==0?this._messages[0]._id:this._totalMessageCount+1;await this._connection.send(this._protocol.writeMessage({type:p.Sequence,sequenceId:e}));let t=this._messages;for(let n of t)await this._connection.send(n._message);this._reconnectInProgress=!1}_dispose(e){e??(e=new Error("Unable to reconnect to server."));for(let t of this._messages)t._rejector(e)}_isInvocationMessage(e){switch(e.type){case p.Invocation:case p.StreamItem:case p.Completion:case p.StreamInvocation:case p.CancelInvocation:return!0;case p.Close:case p.Sequence:case p.Ping:case p.Ack:return!1}}_ackTimer(){this._ackTimerHandle===void 0&&(this._ackTimerHandle=setTimeout(async()=>{try{this._reconnectInProgress||await this._connection.send(this._protocol.writeMessage({type:p.Ack,sequenceId:this._latestReceivedSequenceId}))}catch{}clearTimeout(this._ackTimerHandle),this._ackTimerHandle=void 0},1e3))}},Ze=class{constructor(e,t,n,r){this._message=e,this._id=t,this._resolver=n,this._rejector=r}};var Vt=30*1e3,Jt=15*1e3,Gt=1e5,m;(function(o){o.Disconnected="Disconnected",o.Connecting="Connecting",o.Connected="Connected",o.Disconnecting="Disconnecting",o.Reconnecting="Reconnecting"})(m||(m={}));var ce=class o{static create(e,t,n,r,s,a,h){return new o(e,t,n,r,s,a,h)}constructor(e,t,n,r,s,a,h){this._nextKeepAlive=0,this._freezeEventListener=()=>{this._logger.log(c.Warning,"The page is being frozen, this will likely lead to the connection being closed and messages being lost. For more information see the docs at https://learn.microsoft.com/aspnet/core/signalr/javascript-client#bsleep")},b.isRequired(e,"connection"),b.isRequired(t,"logger"),b.isRequired(n,"protocol"),this.serverTimeoutInMilliseconds=s??Vt,this.keepAliveIntervalInMilliseconds=a??Jt,this._statefulReconnectBufferSize=h??Gt,this._logger=t,this._protocol=n,this.connection=e,this._reconnectPolicy=r,this._handshakeProtocol=new Pe,this.connection.onreceive=u=>this._processIncomingData(u),this.connection.onclose=u=>this._connectionClosed(u),this._callbacks={},this._methods={},this._closedCallbacks=[],this._reconnectingCallbacks=[],this._reconnectedCallbacks=[],this._invocationId=0,this._receivedHandshakeResponse=!1,this._connectionState=m.Disconnected,this._connectionStarted=!1,this._cachedPingMessage=this._protocol.writeMessage({type:p.Ping})}get state(){return this._connectionState}get connectionId(){return this.connection&&this.connection.connectionId||null}get baseUrl(){return this.connection.baseUrl||""}set baseUrl(e){if(this._connectionState!==m.Disconnected&&this._connectionState!==m.Reconnecting)throw new Error("The HubConnection must be in the Disconnected or Reconnecting state to change the url.");if(!e)throw new Error("The HubConnection url must be a valid url.");this.connection.baseUrl=e}start(){return this._startPromise=this._startWithStateTransitions(),this._startPromise}async _startWithStateTransitions(){if(this._connectionState!==m.Disconnected)return Promise.reject(new Error("Cannot start a HubConnection that is not in the 'Disconnected' state."));this._connectionState=m.Connecting,this._logger.log(c.Debug,"Starting HubConnection.");try{await this._startInternal(),w.isBrowser&&window.document.addEventListener("freeze",this._freezeEventListener),this._connectionState=m.Connected,this._connectionStarted=!0,this._logger.log(c.Debug,"HubConnection connected successfully.")}catch(e){return this._connectionState=m.Disconnected,this._logger.log(c.Debug,`HubConnection failed to start successfully because of error '${e}'.`),Promise.reject(e)}}async _startInternal(){this._stopDuringStartError=void 0,this._receivedHandshakeResponse=!1;let e=new Promise((t,n)=>{this._handshakeResolver=t,this._handshakeRejecter=n});await this.connection.start(this._protocol.transferFormat);try{let t=this._protocol.version;this.connection.features.reconnect||(t=1);let n={protocol:this._protocol.name,version:t};if(this._logger.log(c.Debug,"Sending handshake request."),await this._sendMessage(this._handshakeProtocol.writeHandshakeRequest(n)),this._logger.log(c.Information,`Using HubProtocol '${this._protocol.name}'.`),this._cleanupTimeout(),this._resetTimeoutPeriod(),this._resetKeepAliveInterval(),await e,this._stopDuringStartError)throw this._stopDuringStartError;this.connection.features.reconnect&&(this._messageBuffer=new Ae(this._protocol,this.connection,this._statefulReconnectBufferSize),this.connection.features.disconnected=this._messageBuffer._disconnected.bind(this._messageBuffer),this.connection.features.resend=()=>{if(this._messageBuffer)return this._messageBuffer._resend()}),this.connection.features.inherentKeepAlive||await this._sendMessage(this._cachedPingMessage)}catch(t){throw this._logger.log(c.Debug,`Hub handshake failed with error '${t}' during start(). Stopping HubConnection.`),this._cleanupTimeout(),this._cleanupPingTimer(),await this.connection.stop(t),t}}async stop(){let e=this._startPromise;this.connection.features.reconnect=!1,this._stopPromise=this._stopInternal(),await this._stopPromise;try{await e}catch{}}_stopInternal(e){if(this._connectionState===m.Disconnected)return this._logger.log(c.Debug,`Call to HubConnection.stop(${e}) ignored because it is already in the disconnected state.`),Promise.resolve();if(this._connectionState===m.Disconnecting)return this._logger.log(c.Debug,`Call to HttpConnection.stop(${e}) ignored because the connection is already in the disconnecting state.`),this._stopPromise;let t=this._connectionState;return this._connectionState=m.Disconnecting,this._logger.log(c.Debug,"Stopping HubConnection."),this._reconnectDelayHandle?(this._logger.log(c.Debug,"Connection stopped during reconnect delay. Done reconnecting."),clearTimeout(this._reconnectDelayHandle),this._reconnectDelayHandle=void 0,this._completeClose(),Promise.resolve()):(t===m.Connected&&this._sendCloseMessage(),this._cleanupTimeout(),this._cleanupPingTimer(),this._stopDuringStartError=e||new C("The connection was stopped before the hub handshake could complete."),this.connection.stop(e))}async _sendCloseMessage(){try{await this._sendWithProtocol(this._createCloseMessage())}catch{}}stream(e,...t){let[n,r]=this._replaceStreamingParams(t),s=this._createStreamInvocation(e,t,r),a,h=new Re;return h.cancelCallback=()=>{let u=this._createCancelInvocation(s.invocationId);return delete this._callbacks[s.invocationId],a.then(()=>this._sendWithProtocol(u))},this._callbacks[s.invocationId]=(u,d)=>{if(d){h.error(d);return}else u&&(u.type===p.Completion?u.error?h.error(new Error(u.error)):h.complete():h.next(u.item))},a=this._sendWithProtocol(s).catch(u=>{h.error(u),delete this._callbacks[s.invocationId]}),this._launchStreams(n,a),h}_sendMessage(e){return this._resetKeepAliveInterval(),this.connection.send(e)}_sendWithProtocol(e){return this._messageBuffer?this._messageBuffer._send(e):this._sendMessage(this._protocol.writeMessage(e))}send(e,...t){let[n,r]=this._replaceStreamingParams(t),s=this._sendWithProtocol(this._createInvocation(e,t,!0,r));return this._launchStreams(n,s),s}invoke(e,...t){let[n,r]=this._replaceStreamingParams(t),s=this._createInvocation(e,t,!1,r);return new Promise((h,u)=>{this._callbacks[s.invocationId]=(g,k)=>{if(k){u(k);return}else g&&(g.type===p.Completion?g.error?u(new Error(g.error)):h(g.result):u(new Error(`Unexpected message type: ${g.type}`)))};let d=this._sendWithProtocol(s).catch(g=>{u(g),delete this._callbacks[s.invocationId]});this._launchStreams(n,d)})}on(e,t){!e||!t||(e=e.toLowerCase(),this._methods[e]||(this._methods[e]=[]),this._methods[e].indexOf(t)===-1&&this._methods[e].push(t))}off(e,t){if(!e)return;e=e.toLowerCase();let n=this._methods[e];if(n)if(t){let r=n.indexOf(t);r!==-1&&(n.splice(r,1),n.length===0&&delete this._methods[e])}else delete this._methods[e]}onclose(e){e&&this._closedCallbacks.push(e)}onreconnecting(e){e&&this._reconnectingCallbacks.push(e)}onreconnected(e){e&&this._reconnectedCallbacks.push(e)}_processIncomingData(e){if(this._cleanupTimeout(),this._receivedHandshakeResponse||(e=this._processHandshakeResponse(e),this._receivedHandshakeResponse=!0),e){let t=this._protocol.parseMessages(e,this._logger);for(let n of t)if(!(this._messageBuffer&&!this._messageBuffer._shouldProcessMessage(n)))switch(n.type){case p.Invocation:this._invokeClientMethod(n).catch(r=>{this._logger.log(c.Error,`Invoke client method threw error: ${ke(r)}`)});break;case p.StreamItem:case p.Completion:{let r=this._callbacks[n.invocationId];if(r){n.type===p.Completion&&delete this._callbacks[n.invocationId];try{r(n)}catch(s){this._logger.log(c.Error,`Stream callback threw error: ${ke(s)}`)}}break}case p.Ping:break;case p.Close:{this._logger.log(c.Information,"Close message received from server.");let r=n.error?new Error("Server returned an error on close: "+n.error):void 0;n.allowReconnect===!0?this.connection.stop(r):this._stopPromise=this._stopInternal(r);break}case p.Ack:this._messageBuffer&&this._messageBuffer._ack(n);break;case p.Sequence:this._messageBuffer&&this._messageBuffer._resetSequence(n);break;default:this._logger.log(c.Warning,`Invalid message type: ${n.type}.`);break}}this._resetTimeoutPeriod()}_processHandshakeResponse(e){let t,n;try{[n,t]=this._handshakeProtocol.parseHandshakeResponse(e)}catch(r){let s="Error parsing handshake response: "+r;this._logger.log(c.Error,s);let a=new Error(s);throw this._handshakeRejecter(a),a}if(t.error){let r="Server returned handshake error: "+t.error;this._logger.log(c.Error,r);let s=new Error(r);throw this._handshakeRejecter(s),s}else this._logger.log(c.Debug,"Server handshake complete.");return this._handshakeResolver(),n}_resetKeepAliveInterval(){this.connection.features.inherentKeepAlive||(this._nextKeepAlive=new Date().getTime()+this.keepAliveIntervalInMilliseconds,this._cleanupPingTimer())}_resetTimeoutPeriod(){if(!this.connection.features||!this.connection.features.inherentKeepAlive){this._timeoutHandle=setTimeout(()=>this.serverTimeout(),this.serverTimeoutInMilliseconds);let e=this._nextKeepAlive-new Date().getTime();if(e<0){this._connectionState===m.Connected&&this._trySendPingMessage();return}this._pingServerHandle===void 0&&(e<0&&(e=0),this._pingServerHandle=setTimeout(async()=>{this._connectionState===m.Connected&&await this._trySendPingMessage()},e))}}serverTimeout(){this.connection.stop(new Error("Server timeout elapsed without receiving a message from the server."))}async _invokeClientMethod(e){let t=e.target.toLowerCase(),n=this._methods[t];if(!n){this._logger.log(c.Warning,`No client method with the name '${t}' found.`),e.invocationId&&(this._logger.log(c.Warning,`No result given for '${t}' method and invocation ID '${e.invocationId}'.`),await this._sendWithProtocol(this._createCompletionMessage(e.invocationId,"Client didn't provide a result.",null)));return}let r=n.slice(),s=!!e.invocationId,a,h,u;for(let d of r)try{let g=a;a=await d.apply(this,e.arguments),s&&a&&g&&(this._logger.log(c.Error,`Multiple results provided for '${t}'. Sending error to server.`),u=this._createCompletionMessage(e.invocationId,"Client provided multiple results.",null)),h=void 0}catch(g){h=g,this._logger.log(c.Error,`A callback for the method '${t}' threw error '${g}'.`)}u?await this._sendWithProtocol(u):s?(h?u=this._createCompletionMessage(e.invocationId,`${h}`,null):a!==void 0?u=this._createCompletionMessage(e.invocationId,null,a):(this._logger.log(c.Warning,`No result given for '${t}' method and invocation ID '${e.invocationId}'.`),u=this._createCompletionMessage(e.invocationId,"Client didn't provide a result.",null)),await this._sendWithProtocol(u)):a&&this._logger.log(c.Error,`Result given for '${t}' method but server is not expecting a result.`)}_connectionClosed(e){this._logger.log(c.Debug,`HubConnection.connectionClosed(${e}) called while in state ${this._connectionState}.`),this._stopDuringStartError=this._stopDuringStartError||e||new C("The underlying connection was closed before the hub handshake could complete."),this._handshakeResolver&&this._handshakeResolver(),this._cancelCallbacksWithError(e||new Error("Invocation canceled due to the underlying connection being closed.")),this._cleanupTimeout(),this._cleanupPingTimer(),this._connectionState===m.Disconnecting?this._completeClose(e):this._connectionState===m.Connected&&this._reconnectPolicy?this._reconnect(e):this._connectionState===m.Connected&&this._completeClose(e)}_completeClose(e){if(this._connectionStarted){this._connectionState=m.Disconnected,this._connectionStarted=!1,this._messageBuffer&&(this._messageBuffer._dispose(e??new Error("Connection closed.")),this._messageBuffer=void 0),w.isBrowser&&window.document.removeEventListener("freeze",this._freezeEventListener);try{this._closedCallbacks.forEach(t=>t.apply(this,[e]))}catch(t){this._logger.log(c.Error,`An onclose callback called with error '${e}' threw error '${t}'.`)}}}async _reconnect(e){let t=Date.now(),n=0,r=e!==void 0?e:new Error("Attempting to reconnect due to a unknown error."),s=this._getNextRetryDelay(n,0,r);if(s===null){this._logger.log(c.Debug,"Connection not reconnecting because the IRetryPolicy returned null on the first reconnect attempt."),this._completeClose(e);return}if(this._connectionState=m.Reconnecting,e?this._logger.log(c.Information,`Connection reconnecting because of error '${e}'.`):this._logger.log(c.Information,"Connection reconnecting."),this._reconnectingCallbacks.length!==0){try{this._reconnectingCallbacks.forEach(a=>a.apply(this,[e]))}catch(a){this._logger.log(c.Error,`An onreconnecting callback called with error '${e}' threw error '${a}'.`)}if(this._connectionState!==m.Reconnecting){this._logger.log(c.Debug,"Connection left the reconnecting state in onreconnecting callback. Done reconnecting.");return}}for(;s!==null;){if(this._logger.log(c.Information,`Reconnect attempt number ${n+1} will start in ${s} ms.`),await new Promise(a=>{this._reconnectDelayHandle=setTimeout(a,s)}),this._reconnectDelayHandle=void 0,this._connectionState!==m.Reconnecting){this._logger.log(c.Debug,"Connection left the reconnecting state during reconnect delay. Done reconnecting.");return}try{if(await this._startInternal(),this._connectionState=m.Connected,this._logger.log(c.Information,"HubConnection reconnected successfully."),this._reconnectedCallbacks.length!==0)try{this._reconnectedCallbacks.forEach(a=>a.apply(this,[this.connection.connectionId]))}catch(a){this._logger.log(c.Error,`An onreconnected callback called with connectionId '${this.connection.connectionId}; threw error '${a}'.`)}return}catch(a){if(this._logger.log(c.Information,`Reconnect attempt failed because of error '${a}'.`),this._connectionState!==m.Reconnecting){this._logger.log(c.Debug,`Connection moved to the '${this._connectionState}' from the reconnecting state during reconnect attempt. Done reconnecting.`),this._connectionState===m.Disconnecting&&this._completeClose();return}n++,r=a instanceof Error?a:new Error(a.toString()),s=this._getNextRetryDelay(n,Date.now()-t,r)}}this._logger.log(c.Information,`Reconnect retries have been exhausted after ${Date.now()-t} ms and ${n} failed attempts. Connection disconnecting.`),this._completeClose()}_getNextRetryDelay(e,t,n){try{return this._reconnectPolicy.nextRetryDelayInMilliseconds({elapsedMilliseconds:t,previousRetryCount:e,retryReason:n})}catch(r){return this._logger.log(c.Error,`IRetryPolicy.nextRetryDelayInMilliseconds(${e}, ${t}) threw error '${r}'.`),null}}_cancelCallbacksWithError(e){let t=this._callbacks;this._callbacks={},Object.keys(t).forEach(n=>{let r=t[n];try{r(null,e)}catch(s){this._logger.log(c.Error,`Stream 'error' callback called with '${e}' threw error: ${ke(s)}`)}})}_cleanupPingTimer(){this._pingServerHandle&&(clearTimeout(this._pingServerHandle),this._pingServerHandle=void 0)}_cleanupTimeout(){this._timeoutHandle&&clearTimeout(this._timeoutHandle)}_createInvocation(e,t,n,r){if(n)return r.length!==0?{target:e,arguments:t,streamIds:r,type:p.Invocation}:{target:e,arguments:t,type:p.Invocation};{let s=this._invocationId;return this._invocationId++,r.length!==0?{target:e,arguments:t,invocationId:s.toString(),streamIds:r,type:p.Invocation}:{target:e,arguments:t,invocationId:s.toString(),type:p.Invocation}}}_launchStreams(e,t){if(e.length!==0){t||(t=Promise.resolve());for(let n in e)e[n].subscribe({complete:()=>{t=t.then(()=>this._sendWithProtocol(this._createCompletionMessage(n)))},error:r=>{let s;r instanceof Error?s=r.message:r&&r.toString?s=r.toString():s="Unknown error",t=t.then(()=>this._sendWithProtocol(this._createCompletionMessage(n,s)))},next:r=>{t=t.then(()=>this._sendWithProtocol(this._createStreamItemMessage(n,r)))}})}}_replaceStreamingParams(e){let t=[],n=[];for(let r=0;r<e.length;r++){let s=e[r];if(this._isObservable(s)){let a=this._invocationId;this._invocationId++,t[a]=s,n.push(a.toString()),e.splice(r,1)}}return[t,n]}_isObservable(e){return e&&e.subscribe&&typeof e.subscribe=="function"}_createStreamInvocation(e,t,n){let r=this._invocationId;return this._invocationId++,n.length!==0?{target:e,arguments:t,invocationId:r.toString(),streamIds:n,type:p.StreamInvocation}:{target:e,arguments:t,invocationId:r.toString(),type:p.StreamInvocation}}_createCancelInvocation(e){return{invocationId:e,type:p.CancelInvocation}}_createStreamItemMessage(e,t){return{invocationId:e,item:t,type:p.StreamItem}}_createCompletionMessage(e,t,n){return t?{error:t,invocationId:e,type:p.Completion}:{invocationId:e,result:n,type:p.Completion}}_createCloseMessage(){return{type:p.Close}}async _trySendPingMessage(){try{await this._sendMessage(this._cachedPingMessage)}catch{this._cleanupPingTimer()}}};var Xt=[0,2e3,1e4,3e4,null],ae=class{constructor(e){this._retryDelays=e!==void 0?[...e,null]:Xt}nextRetryDelayInMilliseconds(e){return this._retryDelays[e.previousRetryCount]}};var R=class{};R.Authorization="Authorization";R.Cookie="Cookie";var De=class extends D{constructor(e,t){super(),this._innerClient=e,this._accessTokenFactory=t}async send(e){let t=!0;this._accessTokenFactory&&(!this._accessToken||e.url&&e.url.indexOf("/negotiate?")>0)&&(t=!1,this._accessToken=await this._accessTokenFactory()),this._setAuthorizationHeader(e);let n=await this._innerClient.send(e);return t&&n.statusCode===401&&this._accessTokenFactory?(this._accessToken=await this._accessTokenFactory(),this._setAuthorizationHeader(e),await this._innerClient.send(e)):n}_setAuthorizationHeader(e){e.headers||(e.headers={}),this._accessToken?e.headers[R.Authorization]=`Bearer ${this._accessToken}`:this._accessTokenFactory&&e.headers[R.Authorization]&&delete e.headers[R.Authorization]}getCookieString(e){return this._innerClient.getCookieString(e)}};var x;(function(o){o[o.None=0]="None",o[o.WebSockets=1]="WebSockets",o[o.ServerSentEvents=2]="ServerSentEvents",o[o.LongPolling=4]="LongPolling"})(x||(x={}));var y;(function(o){o[o.Text=1]="Text",o[o.Binary=2]="Binary"})(y||(y={}));var $e=class{constructor(){this._isAborted=!1,this.onabort=null}abort(){this._isAborted||(this._isAborted=!0,this.onabort&&this.onabort())}get signal(){return this}get aborted(){return this._isAborted}};var le=class{get pollAborted(){return this._pollAbort.aborted}constructor(e,t,n){this._httpClient=e,this._logger=t,this._pollAbort=new $e,this._options=n,this._running=!1,this.onreceive=null,this.onclose=null}async connect(e,t){if(b.isRequired(e,"url"),b.isRequired(t,"transferFormat"),b.isIn(t,y,"transferFormat"),this._url=e,this._logger.log(c.Trace,"(LongPolling transport) Connecting."),t===y.Binary&&typeof XMLHttpRequest<"u"&&typeof new XMLHttpRequest().responseType!="string")throw new Error("Binary protocols over XmlHttpRequest not implementing advanced features are not supported.");let[n,r]=M(),s={[n]:r,...this._options.headers},a={abortSignal:this._pollAbort.signal,headers:s,timeout:1e5,withCredentials:this._options.withCredentials};t===y.Binary&&(a.responseType="arraybuffer");let h=`${e}&_=${Date.now()}`;this._logger.log(c.Trace,`(LongPolling transport) polling: ${h}.`);let u=await this._httpClient.get(h,a);u.statusCode!==200?(this._logger.log(c.Error,`(LongPolling transport) Unexpected response code: ${u.statusCode}.`),this._closeError=new E(u.statusText||"",u.statusCode),this._running=!1):this._running=!0,this._receiving=this._poll(this._url,a)}async _poll(e,t){try{for(;this._running;)try{let n=`${e}&_=${Date.now()}`;this._logger.log(c.Trace,`(LongPolling transport) polling: ${n}.`);let r=await this._httpClient.get(n,t);r.statusCode===204?(this._logger.log(c.Information,"(LongPolling transport) Poll terminated by server."),this._running=!1):r.statusCode!==200?(this._logger.log(c.Error,`(LongPolling transport) Unexpected response code: ${r.statusCode}.`),this._closeError=new E(r.statusText||"",r.statusCode),this._running=!1):r.content?(this._logger.log(c.Trace,`(LongPolling transport) data received. ${j(r.content,this._options.logMessageContent)}.`),this.onreceive&&this.onreceive(r.content)):this._logger.log(c.Trace,"(LongPolling transport) Poll timed out, reissuing.")}catch(n){this._running?n instanceof U?this._logger.log(c.Trace,"(LongPolling transport) Poll timed out, reissuing."):(this._closeError=n,this._running=!1):this._logger.log(c.Trace,`(LongPolling transport) Poll errored after shutdown: ${n.message}`)}}finally{this._logger.log(c.Trace,"(LongPolling transport) Polling complete."),this.pollAborted||this._raiseOnClose()}}async send(e){return this._running?Ce(this._logger,"LongPolling",this._httpClient,this._url,e,this._options):Promise.reject(new Error("Cannot send until the transport is connected"))}async stop(){this._logger.log(c.Trace,"(LongPolling transport) Stopping polling."),this._running=!1,this._pollAbort.abort();try{await this._receiving,this._logger.log(c.Trace,`(LongPolling transport) sending DELETE request to ${this._url}.`);let e={},[t,n]=M();e[t]=n;let r={headers:{...e,...this._options.headers},timeout:this._options.timeout,withCredentials:this._options.withCredentials},s;try{await this._httpClient.delete(this._url,r)}catch(a){s=a}s?s instanceof E&&(s.statusCode===404?this._logger.log(c.Trace,"(LongPolling transport) A 404 response was returned from sending a DELETE request."):this._logger.log(c.Trace,`(LongPolling transport) Error sending a DELETE request: ${s}`)):this._logger.log(c.Trace,"(LongPolling transport) DELETE request accepted.")}finally{this._logger.log(c.Trace,"(LongPolling transport) Stop finished."),this._raiseOnClose()}}_raiseOnClose(){if(this.onclose){let e="(LongPolling transport) Firing onclose event.";this._closeError&&(e+=" Error: "+this._closeError),this._logger.log(c.Trace,e),this.onclose(this._closeError)}}};var Me=class{constructor(e,t,n,r){this._httpClient=e,this._accessToken=t,this._logger=n,this._options=r,this.onreceive=null,this.onclose=null}async connect(e,t){return b.isRequired(e,"url"),b.isRequired(t,"transferFormat"),b.isIn(t,y,"transferFormat"),this._logger.log(c.Trace,"(SSE transport) Connecting."),this._url=e,this._accessToken&&(e+=(e.indexOf("?")<0?"?":"&")+`access_token=${encodeURIComponent(this._accessToken)}`),new Promise((n,r)=>{let s=!1;if(t!==y.Text){r(new Error("The Server-Sent Events transport only supports the 'Text' transfer format"));return}let a;if(w.isBrowser||w.isWebWorker)a=new this._options.EventSource(e,{withCredentials:this._options.withCredentials});else{let h=this._httpClient.getCookieString(e),u={};u.Cookie=h;let[d,g]=M();u[d]=g,a=new this._options.EventSource(e,{withCredentials:this._options.withCredentials,headers:{...u,...this._options.headers}})}try{a.onmessage=h=>{if(this.onreceive)try{this._logger.log(c.Trace,`(SSE transport) data received. ${j(h.data,this._options.logMessageContent)}.`),this.onreceive(h.data)}catch(u){this._close(u);return}},a.onerror=h=>{s?this._close():r(new Error("EventSource failed to connect. The connection could not be found on the server, either the connection ID is not present on the server, or a proxy is refusing/buffering the connection. If you have multiple servers check that sticky sessions are enabled."))},a.onopen=()=>{this._logger.log(c.Information,`SSE connected to ${this._url}`),this._eventSource=a,s=!0,n()}}catch(h){r(h);return}})}async send(e){return this._eventSource?Ce(this._logger,"SSE",this._httpClient,this._url,e,this._options):Promise.reject(new Error("Cannot send until the transport is connected"))}stop(){return this._close(),Promise.resolve()}_close(e){this._eventSource&&(this._eventSource.close(),this._eventSource=void 0,this.onclose&&this.onclose(e))}};var Ne=class{constructor(e,t,n,r,s,a){this._logger=n,this._accessTokenFactory=t,this._logMessageContent=r,this._webSocketConstructor=s,this._httpClient=e,this.onreceive=null,this.onclose=null,this._headers=a}async connect(e,t){b.isRequired(e,"url"),b.isRequired(t,"transferFormat"),b.isIn(t,y,"transferFormat"),this._logger.log(c.Trace,"(WebSockets transport) Connecting.");let n;return this._accessTokenFactory&&(n=await this._accessTokenFactory()),new Promise((r,s)=>{e=e.replace(/^http/,"ws");let a,h=this._httpClient.getCookieString(e),u=!1;if(w.isNode||w.isReactNative){let d={},[g,k]=M();d[g]=k,n&&(d[R.Authorization]=`Bearer ${n}`),h&&(d[R.Cookie]=h),a=new this._webSocketConstructor(e,void 0,{headers:{...d,...this._headers}})}else n&&(e+=(e.indexOf("?")<0?"?":"&")+`access_token=${encodeURIComponent(n)}`);a||(a=new this._webSocketConstructor(e)),t===y.Binary&&(a.binaryType="arraybuffer"),a.onopen=d=>{this._logger.log(c.Information,`WebSocket connected to ${e}.`),this._webSocket=a,u=!0,r()},a.onerror=d=>{let g=null;typeof ErrorEvent<"u"&&d instanceof ErrorEvent?g=d.error:g="There was an error with the transport",this._logger.log(c.Information,`(WebSockets transport) ${g}.`)},a.onmessage=d=>{if(this._logger.log(c.Trace,`(WebSockets transport) data received. ${j(d.data,this._logMessageContent)}.`),this.onreceive)try{this.onreceive(d.data)}catch(g){this._close(g);return}},a.onclose=d=>{if(u)this._close(d);else{let g=null;typeof ErrorEvent<"u"&&d instanceof ErrorEvent?g=d.error:g="WebSocket failed to connect. The connection could not be found on the server, either the endpoint may not be a SignalR endpoint, the connection ID is not present on the server, or there is a proxy blocking WebSockets. If you have multiple servers check that sticky sessions are enabled.",s(new Error(g))}}})}send(e){return this._webSocket&&this._webSocket.readyState===this._webSocketConstructor.OPEN?(this._logger.log(c.Trace,`(WebSockets transport) sending data. ${j(e,this._logMessageContent)}.`),this._webSocket.send(e),Promise.resolve()):Promise.reject("WebSocket is not in the OPEN state")}stop(){return this._webSocket&&this._close(void 0),Promise.resolve()}_close(e){this._webSocket&&(this._webSocket.onclose=()=>{},this._webSocket.onmessage=()=>{},this._webSocket.onerror=()=>{},this._webSocket.close(),this._webSocket=void 0),this._logger.log(c.Trace,"(WebSockets transport) socket closed."),this.onclose&&(this._isCloseEvent(e)&&(e.wasClean===!1||e.code!==1e3)?this.onclose(new Error(`WebSocket closed with status code: ${e.code} (${e.reason||"no reason given"}).`)):e instanceof Error?this.onclose(e):this.onclose())}_isCloseEvent(e){return e&&typeof e.wasClean=="boolean"&&typeof e.code=="number"}};var bt=100,He=class{constructor(e,t={}){if(this._stopPromiseResolver=()=>{},this.features={},this._negotiateVersion=1,b.isRequired(e,"url"),this._logger=pt(t.logger),this.baseUrl=this._resolveUrl(e),t=t||{},t.logMessageContent=t.logMessageContent===void 0?!1:t.logMessageContent,typeof t.withCredentials=="boolean"||t.withCredentials===void 0)t.withCredentials=t.withCredentials===void 0?!0:t.withCredentials;else throw new Error("withCredentials option was not a 'boolean' or 'undefined' value");t.timeout=t.timeout===void 0?100*1e3:t.timeout;let n=null,r=null;if(w.isNode&&typeof V<"u"){let s=typeof __webpack_require__=="function"?__non_webpack_require__:V;n=s("ws"),r=s("eventsource")}!w.isNode&&typeof WebSocket<"u"&&!t.WebSocket?t.WebSocket=WebSocket:w.isNode&&!t.WebSocket&&n&&(t.WebSocket=n),!w.isNode&&typeof EventSource<"u"&&!t.EventSource?t.EventSource=EventSource:w.isNode&&!t.EventSource&&typeof r<"u"&&(t.EventSource=r),this._httpClient=new De(t.httpClient||new Te(this._logger),t.accessTokenFactory),this._connectionState="Disconnected",this._connectionStarted=!1,this._options=t,this.onreceive=null,this.onclose=null}async start(e){if(e=e||y.Binary,b.isIn(e,y,"transferFormat"),this._logger.log(c.Debug,`Starting connection with transfer format '${y[e]}'.`),this._connectionState!=="Disconnected")return Promise.reject(new Error("Cannot start an HttpConnection that is not in the 'Disconnected' state."));if(this._connectionState="Connecting",this._startInternalPromise=this._startInternal(e),await this._startInternalPromise,this._connectionState==="Disconnecting"){let t="Failed to start the HttpConnection before stop() was called.";return this._logger.log(c.Error,t),await this._stopPromise,Promise.reject(new C(t))}else if(this._connectionState!=="Connected"){let t="HttpConnection.startInternal completed gracefully but didn't enter the connection into the connected state!";return this._logger.log(c.Error,t),Promise.reject(new C(t))}this._connectionStarted=!0}send(e){return this._connectionState!=="Connected"?Promise.reject(new Error("Cannot send data if the connection is not in the 'Connected' State.")):(this._sendQueue||(this._sendQueue=new Qe(this.transport)),this._sendQueue.send(e))}async stop(e){if(this._connectionState==="Disconnected")return this._logger.log(c.Debug,`Call to HttpConnection.stop(${e}) ignored because the connection is already in the disconnected state.`),Promise.resolve();if(this._connectionState==="Disconnecting")return this._logger.log(c.Debug,`Call to HttpConnection.stop(${e}) ignored because the connection is already in the disconnecting state.`),this._stopPromise;this._connectionState="Disconnecting",this._stopPromise=new Promise(t=>{this._stopPromiseResolver=t}),await this._stopInternal(e),await this._stopPromise}async _stopInternal(e){this._stopError=e;try{await this._startInternalPromise}catch{}if(this.transport){try{await this.transport.stop()}catch(t){this._logger.log(c.Error,`HttpConnection.transport.stop() threw error '${t}'.`),this._stopConnection()}this.transport=void 0}else this._logger.log(c.Debug,"HttpConnection.transport is undefined in HttpConnection.stop() because start() failed.")}async _startInternal(e){let t=this.baseUrl;this._accessTokenFactory=this._options.accessTokenFactory,this._httpClient._accessTokenFactory=this._accessTokenFactory;try{if(this._options.skipNegotiation)if(this._options.transport===x.WebSockets)this.transport=this._constructTransport(x.WebSockets),await this._startTransport(t,e);else throw new Error("Negotiation can only be skipped when using the WebSocket transport directly.");else{let n=null,r=0;do{if(n=await this._getNegotiationResponse(t),this._connectionState==="Disconnecting"||this._connectionState==="Disconnected")throw new C("The connection was stopped during negotiation.");if(n.error)throw new Error(n.error);if(n.ProtocolVersion)throw new Error("Detected a connection attempt to an ASP.NET SignalR Server. This client only supports connecting to an ASP.NET Core SignalR Server. See https://aka.ms/signalr-core-differences for details.");if(n.url&&(t=n.url),n.accessToken){let s=n.accessToken;this._accessTokenFactory=()=>s,this._httpClient._accessToken=s,this._httpClient._accessTokenFactory=void 0}r++}while(n.url&&r<bt);if(r===bt&&n.url)throw new Error("Negotiate redirection limit exceeded.");await this._createTransport(t,this._options.transport,n,e)}this.transport instanceof le&&(this.features.inherentKeepAlive=!0),this._connectionState==="Connecting"&&(this._logger.log(c.Debug,"The HttpConnection connected successfully."),this._connectionState="Connected")}catch(n){return this._logger.log(c.Error,"Failed to start the connection: "+n),this._connectionState="Disconnected",this.transport=void 0,this._stopPromiseResolver(),Promise.reject(n)}}async _getNegotiationResponse(e){let t={},[n,r]=M();t[n]=r;let s=this._resolveNegotiateUrl(e);this._logger.log(c.Debug,`Sending negotiation request: ${s}.`);try{let a=await this._httpClient.post(s,{content:"",headers:{...t,...this._options.headers},timeout:this._options.timeout,withCredentials:this._options.withCredentials});if(a.statusCode!==200)return Promise.reject(new Error(`Unexpected status code returned from negotiate '${a.statusCode}'`));let h=JSON.parse(a.content);return(!h.negotiateVersion||h.negotiateVersion<1)&&(h.connectionToken=h.connectionId),h.useStatefulReconnect&&this._options._useStatefulReconnect!==!0?Promise.reject(new se("Client didn't negotiate Stateful Reconnect but the server did.")):h}catch(a){let h="Failed to complete negotiation with the server: "+a;return a instanceof E&&a.statusCode===404&&(h=h+" Either this is not a SignalR endpoint or there is a proxy blocking the connection."),this._logger.log(c.Error,h),Promise.reject(new se(h))}}_createConnectUrl(e,t){return t?e+(e.indexOf("?")===-1?"?":"&")+`id=${t}`:e}async _createTransport(e,t,n,r){let s=this._createConnectUrl(e,n.connectionToken);if(this._isITransport(t)){this._logger.log(c.Debug,"Connection was provided an instance of ITransport, using that directly."),this.transport=t,await this._startTransport(s,r),this.connectionId=n.connectionId;return}let a=[],h=n.availableTransports||[],u=n;for(let d of h){let g=this._resolveTransportOrError(d,t,r,u?.useStatefulReconnect===!0);if(g instanceof Error)a.push(`${d.transport} failed:`),a.push(g);else if(this._isITransport(g)){if(this.transport=g,!u){try{u=await this._getNegotiationResponse(e)}catch(k){return Promise.reject(k)}s=this._createConnectUrl(e,u.connectionToken)}try{await this._startTransport(s,r),this.connectionId=u.connectionId;return}catch(k){if(this._logger.log(c.Error,`Failed to start the transport '${d.transport}': ${k}`),u=void 0,a.push(new ye(`${d.transport} failed: ${k}`,x[d.transport])),this._connectionState!=="Connecting"){let L="Failed to select transport before stop() was called.";return this._logger.log(c.Debug,L),Promise.reject(new C(L))}}}}return a.length>0?Promise.reject(new xe(`Unable to connect to the server with any of the available transports. ${a.join(" ")}`,a)):Promise.reject(new Error("None of the transports supported by the client are supported by the server."))}_constructTransport(e){switch(e){case x.WebSockets:if(!this._options.WebSocket)throw new Error("'WebSocket' is not supported in your environment.");return new Ne(this._httpClient,this._accessTokenFactory,this._logger,this._options.logMessageContent,this._options.WebSocket,this._options.headers||{});case x.ServerSentEvents:if(!this._options.EventSource)throw new Error("'EventSource' is not supported in your environment.");return new Me(this._httpClient,this._httpClient._accessToken,this._logger,this._options);case x.LongPolling:return new le(this._httpClient,this._logger,this._options);default:throw new Error(`Unknown transport: ${e}.`)}}_startTransport(e,t){return this.transport.onreceive=this.onreceive,this.features.reconnect?this.transport.onclose=async n=>{let r=!1;if(this.features.reconnect)try{this.features.disconnected(),await this.transport.connect(e,t),await this.features.resend()}catch{r=!0}else{this._stopConnection(n);return}r&&this._stopConnection(n)}:this.transport.onclose=n=>this._stopConnection(n),this.transport.connect(e,t)}_resolveTransportOrError(e,t,n,r){let s=x[e.transport];if(s==null)return this._logger.log(c.Debug,`Skipping transport '${e.transport}' because it is not supported by this client.`),new Error(`Skipping transport '${e.transport}' because it is not supported by this client.`);if(Yt(t,s))if(e.transferFormats.map(h=>y[h]).indexOf(n)>=0){if(s===x.WebSockets&&!this._options.WebSocket||s===x.ServerSentEvents&&!this._options.EventSource)return this._logger.log(c.Debug,`Skipping transport '${x[s]}' because it is not supported in your environment.'`),new we(`'${x[s]}' is not supported in your environment.`,s);this._logger.log(c.Debug,`Selecting transport '${x[s]}'.`);try{return this.features.reconnect=s===x.WebSockets?r:void 0,this._constructTransport(s)}catch(h){return h}}else return this._logger.log(c.Debug,`Skipping transport '${x[s]}' because it does not support the requested transfer format '${y[n]}'.`),new Error(`'${x[s]}' does not support ${y[n]}.`);else return this._logger.log(c.Debug,`Skipping transport '${x[s]}' because it was disabled by the client.`),new Se(`'${x[s]}' is disabled by the client.`,s)}_isITransport(e){return e&&typeof e=="object"&&"connect"in e}_stopConnection(e){if(this._logger.log(c.Debug,`HttpConnection.stopConnection(${e}) called while in state ${this._connectionState}.`),this.transport=void 0,e=this._stopError||e,this._stopError=void 0,this._connectionState==="Disconnected"){this._logger.log(c.Debug,`Call to HttpConnection.stopConnection(${e}) was ignored because the connection is already in the disconnected state.`);return}if(this._connectionState==="Connecting")throw this._logger.log(c.Warning,`Call to HttpConnection.stopConnection(${e}) was ignored because the connection is still in the connecting state.`),new Error(`HttpConnection.stopConnection(${e}) was called while the connection is still in the connecting state.`);if(this._connectionState==="Disconnecting"&&this._stopPromiseResolver(),e?this._logger.log(c.Error,`Connection disconnected with error '${e}'.`):this._logger.log(c.Information,"Connection disconnected."),this._sendQueue&&(this._sendQueue.stop().catch(t=>{this._logger.log(c.Error,`TransportSendQueue.stop() threw error '${t}'.`)}),this._sendQueue=void 0),this.connectionId=void 0,this._connectionState="Disconnected",this._connectionStarted){this._connectionStarted=!1;try{this.onclose&&this.onclose(e)}catch(t){this._logger.log(c.Error,`HttpConnection.onclose(${e}) threw error '${t}'.`)}}}_resolveUrl(e){if(e.lastIndexOf("https://",0)===0||e.lastIndexOf("http://",0)===0)return e;if(!w.isBrowser)throw new Error(`Cannot resolve '${e}'.`);let t=window.document.createElement("a");return t.href=e,this._logger.log(c.Information,`Normalizing '${e}' to '${t.href}'.`),t.href}_resolveNegotiateUrl(e){let t=new URL(e);t.pathname.endsWith("/")?t.pathname+="negotiate":t.pathname+="/negotiate";let n=new URLSearchParams(t.searchParams);return n.has("negotiateVersion")||n.append("negotiateVersion",this._negotiateVersion.toString()),n.has("useStatefulReconnect")?n.get("useStatefulReconnect")==="true"&&(this._options._useStatefulReconnect=!0):this._options._useStatefulReconnect===!0&&n.append("useStatefulReconnect","true"),t.search=n.toString(),t.toString()}};function Yt(o,e){return!o||(e&o)!==0}var Qe=class o{constructor(e){this._transport=e,this._buffer=[],this._executing=!0,this._sendBufferedData=new G,this._transportResult=new G,this._sendLoopPromise=this._sendLoop()}send(e){return this._bufferData(e),this._transportResult||(this._transportResult=new G),this._transportResult.promise}stop(){return this._executing=!1,this._sendBufferedData.resolve(),this._sendLoopPromise}_bufferData(e){if(this._buffer.length&&typeof this._buffer[0]!=typeof e)throw new Error(`Expected data to be of type ${typeof this._buffer} but was of type ${typeof e}`);this._buffer.push(e),this._sendBufferedData.resolve()}async _sendLoop(){for(;;){if(await this._sendBufferedData.promise,!this._executing){this._transportResult&&this._transportResult.reject("Connection stopped.");break}this._sendBufferedData=new G;let e=this._transportResult;this._transportResult=void 0;let t=typeof this._buffer[0]=="string"?this._buffer.join(""):o._concatBuffers(this._buffer);this._buffer.length=0;try{await this._transport.send(t),e.resolve()}catch(n){e.reject(n)}}}static _concatBuffers(e){let t=e.map(s=>s.byteLength).reduce((s,a)=>s+a),n=new Uint8Array(t),r=0;for(let s of e)n.set(new Uint8Array(s),r),r+=s.byteLength;return n.buffer}},G=class{constructor(){this.promise=new Promise((e,t)=>[this._resolver,this._rejecter]=[e,t])}resolve(){this._resolver()}reject(e){this._rejecter(e)}};var Zt="json",Le=class{constructor(){this.name=Zt,this.version=2,this.transferFormat=y.Text}parseMessages(e,t){if(typeof e!="string")throw new Error("Invalid input for JSON hub protocol. Expected a string.");if(!e)return[];t===null&&(t=$.instance);let n=I.parse(e),r=[];for(let s of n){let a=JSON.parse(s);if(typeof a.type!="number")throw new Error("Invalid payload.");switch(a.type){case p.Invocation:this._isInvocationMessage(a);break;case p.StreamItem:this._isStreamItemMessage(a);break;case p.Completion:this._isCompletionMessage(a);break;case p.Ping:break;case p.Close:break;case p.Ack:this._isAckMessage(a);break;case p.Sequence:this._isSequenceMessage(a);break;default:t.log(c.Information,"Unknown message type '"+a.type+"' ignored.");continue}r.push(a)}return r}writeMessage(e){return I.write(JSON.stringify(e))}_isInvocationMessage(e){this._assertNotEmptyString(e.target,"Invalid payload for Invocation message."),e.invocationId!==void 0&&this._assertNotEmptyString(e.invocationId,"Invalid payload for Invocation message.")}_isStreamItemMessage(e){if(this._assertNotEmptyString(e.invocationId,"Invalid payload for StreamItem message."),e.item===void 0)throw new Error("Invalid payload for StreamItem message.")}_isCompletionMessage(e){if(e.result&&e.error)throw new Error("Invalid payload for Completion message.");!e.result&&e.error&&this._assertNotEmptyString(e.error,"Invalid payload for Completion message."),this._assertNotEmptyString(e.invocationId,"Invalid payload for Completion message.")}_isAckMessage(e){if(typeof e.sequenceId!="number")throw new Error("Invalid SequenceId for Ack message.")}_isSequenceMessage(e){if(typeof e.sequenceId!="number")throw new Error("Invalid SequenceId for Sequence message.")}_assertNotEmptyString(e,t){if(typeof e!="string"||e==="")throw new Error(t)}};var Qt={trace:c.Trace,debug:c.Debug,info:c.Information,information:c.Information,warn:c.Warning,warning:c.Warning,error:c.Error,critical:c.Critical,none:c.None};function en(o){let e=Qt[o.toLowerCase()];if(typeof e<"u")return e;throw new Error(`Unknown log level: ${o}`)}var he=class{configureLogging(e){if(b.isRequired(e,"logging"),tn(e))this.logger=e;else if(typeof e=="string"){let t=en(e);this.logger=new z(t)}else this.logger=new z(e);return this}withUrl(e,t){return b.isRequired(e,"url"),b.isNotEmpty(e,"url"),this.url=e,typeof t=="object"?this.httpConnectionOptions={...this.httpConnectionOptions,...t}:this.httpConnectionOptions={...this.httpConnectionOptions,transport:t},this}withHubProtocol(e){return b.isRequired(e,"protocol"),this.protocol=e,this}withAutomaticReconnect(e){if(this.reconnectPolicy)throw new Error("A reconnectPolicy has already been set.");return e?Array.isArray(e)?this.reconnectPolicy=new ae(e):this.reconnectPolicy=e:this.reconnectPolicy=new ae,this}withServerTimeout(e){return b.isRequired(e,"milliseconds"),this._serverTimeoutInMilliseconds=e,this}withKeepAliveInterval(e){return b.isRequired(e,"milliseconds"),this._keepAliveIntervalInMilliseconds=e,this}withStatefulReconnect(e){return this.httpConnectionOptions===void 0&&(this.httpConnectionOptions={}),this.httpConnectionOptions._useStatefulReconnect=!0,this._statefulReconnectBufferSize=e?.bufferSize,this}build(){let e=this.httpConnectionOptions||{};if(e.logger===void 0&&(e.logger=this.logger),!this.url)throw new Error("The 'HubConnectionBuilder.withUrl' method must be called before building the connection.");let t=new He(this.url,e);return ce.create(t,this.logger||$.instance,this.protocol||new Le,this.reconnectPolicy,this._serverTimeoutInMilliseconds,this._keepAliveIntervalInMilliseconds,this._statefulReconnectBufferSize)}};function tn(o){return o.log!==void 0}var wt=`/* The chat widget's own styles. They live inside a shadow root, so the host page's CSS
   cannot reach in and these rules cannot leak out. */

:host {
  all: initial;
}

.cc-root {
  --cc-accent: #2563eb;
  --cc-accent-text: #ffffff;
  --cc-bg: #ffffff;
  --cc-surface: #f3f4f6;
  --cc-border: #e5e7eb;
  --cc-text: #111827;
  --cc-muted: #6b7280;
  --cc-danger: #b91c1c;
  --cc-radius: 16px;
  --cc-offset: 20px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 15px;
  line-height: 1.45;
  color: var(--cc-text);
  -webkit-font-smoothing: antialiased;
  text-align: left;
}

.cc-root *,
.cc-root *::before,
.cc-root *::after {
  box-sizing: border-box;
}

.cc-sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}

[hidden] {
  display: none !important;
}

button {
  font: inherit;
  color: inherit;
  cursor: pointer;
}

button:focus-visible,
textarea:focus-visible,
a:focus-visible,
.cc-log:focus-visible {
  outline: 3px solid var(--cc-accent);
  outline-offset: 2px;
}

/* ---------------------------------------------------------------- launcher */

.cc-launcher {
  position: fixed;
  right: var(--cc-offset);
  bottom: var(--cc-offset);
  z-index: 2147483000;
  width: 60px;
  height: 60px;
  padding: 0;
  border: 0;
  border-radius: 50%;
  background: var(--cc-accent);
  color: var(--cc-accent-text);
  box-shadow: 0 6px 24px rgba(17, 24, 39, 0.28);
  display: flex;
  align-items: center;
  justify-content: center;
  transition: transform 0.15s ease, box-shadow 0.15s ease;
}

.cc-launcher:hover {
  transform: translateY(-2px);
  box-shadow: 0 10px 28px rgba(17, 24, 39, 0.32);
}

.cc-launcher:focus-visible {
  outline-color: var(--cc-text);
  outline-offset: 3px;
}

.cc-launcher-icon {
  display: flex;
}

.cc-launcher svg {
  width: 28px;
  height: 28px;
}

.cc-root[data-position="left"] .cc-launcher,
.cc-root[data-position="left"] .cc-panel {
  right: auto;
  left: var(--cc-offset);
}

.cc-badge {
  position: absolute;
  top: -2px;
  right: -2px;
  min-width: 22px;
  height: 22px;
  padding: 0 6px;
  border-radius: 11px;
  background: #dc2626;
  color: #fff;
  font-size: 12px;
  font-weight: 700;
  line-height: 22px;
  text-align: center;
  border: 2px solid #fff;
}

/* ------------------------------------------------------------------- panel */

.cc-panel {
  position: fixed;
  right: var(--cc-offset);
  bottom: calc(var(--cc-offset) + 76px);
  z-index: 2147483001;
  width: 380px;
  height: min(620px, calc(100vh - 120px));
  display: flex;
  flex-direction: column;
  background: var(--cc-bg);
  border-radius: var(--cc-radius);
  box-shadow: 0 18px 50px rgba(17, 24, 39, 0.3), 0 0 0 1px rgba(17, 24, 39, 0.06);
  overflow: hidden;
  animation: cc-pop 0.18s ease-out;
}

@keyframes cc-pop {
  from {
    opacity: 0;
    transform: translateY(12px) scale(0.98);
  }
  to {
    opacity: 1;
    transform: none;
  }
}

.cc-header {
  display: flex;
  align-items: center;
  gap: 12px;
  padding: 16px 14px 16px 18px;
  background: var(--cc-accent);
  color: var(--cc-accent-text);
}

.cc-avatar {
  flex: none;
  width: 38px;
  height: 38px;
  border-radius: 50%;
  background: rgba(255, 255, 255, 0.22);
  display: flex;
  align-items: center;
  justify-content: center;
}

.cc-avatar svg {
  width: 22px;
  height: 22px;
}

.cc-heading {
  flex: 1;
  min-width: 0;
}

.cc-title {
  margin: 0;
  font-size: 16px;
  font-weight: 650;
  line-height: 1.25;
}

.cc-subtitle {
  margin: 2px 0 0;
  font-size: 13px;
  opacity: 0.9;
  display: flex;
  align-items: center;
  gap: 6px;
}

.cc-dot {
  width: 8px;
  height: 8px;
  border-radius: 50%;
  background: #fbbf24;
  flex: none;
}

.cc-root[data-state="online"] .cc-dot {
  background: #4ade80;
}

.cc-root[data-state="offline"] .cc-dot {
  background: #f87171;
}

.cc-close {
  flex: none;
  width: 36px;
  height: 36px;
  border: 0;
  border-radius: 50%;
  background: transparent;
  color: inherit;
  display: flex;
  align-items: center;
  justify-content: center;
}

.cc-close:hover {
  background: rgba(255, 255, 255, 0.18);
}

.cc-close:focus-visible {
  outline-color: var(--cc-accent-text);
  outline-offset: -3px;
}

.cc-close svg {
  width: 20px;
  height: 20px;
}

.cc-banner {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 8px;
  padding: 8px 14px;
  font-size: 13px;
  background: #fef3c7;
  color: #78350f;
  border-bottom: 1px solid #fde68a;
}

.cc-banner button {
  border: 0;
  background: transparent;
  color: inherit;
  font-weight: 650;
  text-decoration: underline;
  padding: 2px 4px;
}

/* -------------------------------------------------------------- message log */

.cc-log {
  flex: 1;
  margin: 0;
  padding: 16px 14px 8px;
  list-style: none;
  overflow-y: auto;
  overscroll-behavior: contain;
  background: var(--cc-bg);
  display: flex;
  flex-direction: column;
  gap: 10px;
}

.cc-item {
  display: flex;
  flex-direction: column;
  max-width: 84%;
  align-items: flex-start;
}

.cc-item--customer {
  align-self: flex-end;
  align-items: flex-end;
}

.cc-item--note {
  align-self: center;
  max-width: 100%;
  font-size: 12.5px;
  color: var(--cc-muted);
  text-align: center;
}

.cc-author {
  font-size: 12px;
  font-weight: 600;
  color: var(--cc-muted);
  margin: 0 4px 3px;
}

.cc-bubble {
  padding: 9px 13px;
  border-radius: 18px;
  border-bottom-left-radius: 6px;
  background: var(--cc-surface);
  color: var(--cc-text);
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  word-break: break-word;
}

.cc-item--customer .cc-bubble {
  background: var(--cc-accent);
  color: var(--cc-accent-text);
  border-bottom-left-radius: 18px;
  border-bottom-right-radius: 6px;
}

.cc-item--greeting .cc-bubble {
  background: var(--cc-surface);
}

.cc-bubble a {
  color: inherit;
  text-decoration: underline;
  text-underline-offset: 2px;
}

.cc-meta {
  font-size: 11.5px;
  color: var(--cc-muted);
  margin: 3px 6px 0;
}

.cc-item[data-status="sending"] .cc-bubble {
  opacity: 0.65;
}

.cc-item[data-status="failed"] .cc-bubble {
  opacity: 0.75;
  outline: 2px solid var(--cc-danger);
  outline-offset: 1px;
}

.cc-failure {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  justify-content: flex-end;
  gap: 4px 10px;
  margin: 5px 4px 0;
  font-size: 12.5px;
  color: var(--cc-danger);
  text-align: right;
}

.cc-failure button {
  border: 1px solid currentColor;
  border-radius: 999px;
  background: #fff;
  color: var(--cc-danger);
  padding: 2px 10px;
  font-size: 12.5px;
  font-weight: 600;
}

.cc-failure button:hover {
  background: #fef2f2;
}

/* ---------------------------------------------------------------- composer */

.cc-composer {
  border-top: 1px solid var(--cc-border);
  padding: 10px 10px 12px 14px;
  background: var(--cc-bg);
}

.cc-row {
  display: flex;
  align-items: flex-end;
  gap: 8px;
}

.cc-input {
  flex: 1;
  min-height: 42px;
  max-height: 140px;
  resize: none;
  padding: 10px 12px;
  border: 1px solid var(--cc-border);
  border-radius: 12px;
  background: #fff;
  color: var(--cc-text);
  font: inherit;
  line-height: 1.4;
}

.cc-input:focus-visible {
  outline-width: 2px;
  outline-offset: 0;
  border-color: var(--cc-accent);
}

.cc-input:disabled {
  background: var(--cc-surface);
}

.cc-send {
  flex: none;
  width: 42px;
  height: 42px;
  border: 0;
  border-radius: 12px;
  background: var(--cc-accent);
  color: var(--cc-accent-text);
  display: flex;
  align-items: center;
  justify-content: center;
}

.cc-send:disabled {
  opacity: 0.45;
  cursor: default;
}

.cc-send svg {
  width: 20px;
  height: 20px;
}

.cc-footer {
  margin: 8px 0 0;
  font-size: 11px;
  color: var(--cc-muted);
  text-align: center;
}

/* ---------------------------------------------------------- phones: full screen */

@media (max-width: 480px) {
  .cc-panel,
  .cc-root[data-position="left"] .cc-panel {
    inset: 0;
    width: 100%;
    height: 100%;
    border-radius: 0;
    box-shadow: none;
  }

  .cc-root[data-open] .cc-launcher {
    display: none;
  }

  .cc-item {
    max-width: 90%;
  }

  .cc-input {
    font-size: 16px; /* keeps iOS from zooming into the field */
  }
}

@media (prefers-reduced-motion: reduce) {
  .cc-panel {
    animation: none;
  }

  .cc-launcher {
    transition: none;
  }
}
`;var St="http://www.w3.org/2000/svg";function _(o,e,...t){let n=document.createElement(o);on(n,e);for(let r of t)r==null||r===!1||n.append(typeof r=="string"?document.createTextNode(r):r);return n}function on(o,e){if(e){for(let[t,n]of Object.entries(e))if(!(n==null||n===!1))if(t==="text")o.textContent=String(n);else if(t==="on")for(let[r,s]of Object.entries(n))o.addEventListener(r,s);else t==="class"?o.setAttribute("class",n):o.setAttribute(t,n===!0?"":String(n))}}function We(o){let e=document.createElementNS(St,"svg");e.setAttribute("viewBox","0 0 24 24"),e.setAttribute("fill","none"),e.setAttribute("stroke","currentColor"),e.setAttribute("stroke-width","2"),e.setAttribute("stroke-linecap","round"),e.setAttribute("stroke-linejoin","round"),e.setAttribute("aria-hidden","true"),e.setAttribute("focusable","false");for(let t of o){let n=document.createElementNS(St,"path");n.setAttribute("d",t),e.append(n)}return e}var q={chat:()=>We(["M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z","M8.5 12h.01","M12 12h.01","M15.5 12h.01"]),close:()=>We(["M18 6 6 18","M6 6l12 12"]),send:()=>We(["M22 2 11 13","M22 2 15 22l-4-9-9-4 20-7Z"]),support:()=>We(["M3 14v-2a9 9 0 0 1 18 0v2","M21 15a2 2 0 0 1-2 2h-1v-6h1a2 2 0 0 1 2 2Z","M3 15a2 2 0 0 0 2 2h1v-6H5a2 2 0 0 0-2 2Z","M18 17v1a3 3 0 0 1-3 3h-3"])},Ue=/\b(?:https?:\/\/|www\.)[^\s<>"']+/gi,rn=/[.,;:!?'")\]}>]+$/;function xt(o,e){let t=String(e??""),n=0;Ue.lastIndex=0;for(let r=Ue.exec(t);r;r=Ue.exec(t)){let s=r[0],a=rn.exec(s);if(a){let d=a[0];s=s.slice(0,s.length-d.length),d[0]===")"&&yt(s,"(")>yt(s,")")&&(s+=")")}let h=sn(s);if(!h)continue;r.index>n&&o.append(document.createTextNode(t.slice(n,r.index)));let u=document.createElement("a");u.href=h,u.target="_blank",u.rel="noopener noreferrer",u.textContent=s,o.append(u),n=r.index+s.length,Ue.lastIndex=n}n<t.length&&o.append(document.createTextNode(t.slice(n)))}function yt(o,e){return o.split(e).length-1}function sn(o){try{let e=new URL(/^www\./i.test(o)?`https://${o}`:o);return e.protocol==="http:"||e.protocol==="https:"?e.href:null}catch{return null}}var cn=/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;function vt(o){return cn.test(String(o??""))}function Ct(){let o=globalThis.crypto;if(o&&typeof o.randomUUID=="function")return o.randomUUID();let e=new Uint8Array(16);o.getRandomValues(e),e[6]=e[6]&15|64,e[8]=e[8]&63|128;let t=Array.from(e,n=>n.toString(16).padStart(2,"0")).join("");return`${t.slice(0,8)}-${t.slice(8,12)}-${t.slice(12,16)}-${t.slice(16,20)}-${t.slice(20)}`}var je=class{constructor(e){this.key=`contactcenter.widget.${e.toLowerCase()}`,this.memory=null}load(){try{let e=window.localStorage.getItem(this.key),t=e?JSON.parse(e):null;return t&&typeof t.visitorToken=="string"?t:null}catch{return this.memory}}save(e){this.memory=e;try{window.localStorage.setItem(this.key,JSON.stringify(e))}catch{}}watch(e){window.addEventListener("storage",t=>{if(t.key===this.key&&t.newValue)try{e(JSON.parse(t.newValue))}catch{}})}},N=class extends Error{constructor(e,t){super(e),this.name="SessionError",this.status=t}};async function kt(o,e,t){let n;try{n=await fetch(new URL("api/v1/widget/sessions",o).href,{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json"},body:JSON.stringify({inboxId:e,visitorToken:t||null}),credentials:"omit",mode:"cors"})}catch{throw new N("We can't reach the chat service. Check your connection.",0)}if(n.status===429)throw new N("Too many attempts. Please wait a minute and try again.",429);if(n.status===404)throw new N("Chat is not available here right now.",404);if(!n.ok){let r="";try{r=(await n.json()).detail||""}catch{}throw new N(r||"Chat is unavailable right now. Please try again later.",n.status)}return n.json()}function Et(o,e=Date.now()){return!o||!o.renewedAt||e-o.renewedAt>432e5}function It(o){let e=String(o&&o.message||""),t=/HubException:\s*([\s\S]*)$/.exec(e);if(!t)return null;let n=t[1].trim(),r=/^([a-z0-9_.-]+):\s*([\s\S]+)$/i.exec(n);return r?{code:r[1],message:r[2]}:{code:"",message:n||"The message was refused."}}function et(o){return!!(o&&(o.statusCode===401||/\b401\b/.test(String(o.message||""))))}var X=hn(),Tt=[0,2e3,5e3,1e4,2e4,3e4],Pt=[3e3,8e3,15e3,3e4,6e4],an=2e4,ln="Hi! How can we help you today?";un();function hn(){let o=document.currentScript;if(o&&o.src)return o;let e=Array.from(document.querySelectorAll('script[src*="widget.js"]'));return e.find(t=>t.hasAttribute("data-inbox"))||e[0]||null}function un(){if(!X){console.error("[ContactCenter] widget.js could not find its own <script> tag.");return}let o=(X.getAttribute("data-inbox")||"").trim();if(!vt(o)){console.error('[ContactCenter] widget.js needs data-inbox="INBOX-GUID" on its <script> tag.');return}let e=window.__contactCenterWidgets=window.__contactCenterWidgets||{};if(e[o])return;e[o]=!0;let t=X.getAttribute("data-position")==="left"?"left":"right",n=X.getAttribute("data-color"),r={baseUrl:new URL(".",X.src).href,inboxId:o,title:(X.getAttribute("data-title")||"").trim()||"Chat with us",color:n&&window.CSS&&CSS.supports("color",n)?n:null,position:t},s=()=>{let a=dn(r);e[o]=a,window.ContactCenterWidget=a};document.body?s():document.addEventListener("DOMContentLoaded",s,{once:!0})}function dn({baseUrl:o,inboxId:e,title:t,color:n,position:r}){let s=new je(e),a=`${s.key}.seen`,h=s.load(),u=!1,d=null,g=null,k=null,L=[],ue=0,de=0,Y="idle",Z="",T=!1,H=0,fe=mn(a),v=[],Q=new Map,ee=new Map,Be=document.createElement("contactcenter-chat");Be.setAttribute("style","all: initial;");let tt=Be.attachShadow({mode:"open"});fn(tt,wt);let B=_("div",{class:"cc-root","data-position":r,"data-state":Y}),Oe=_("span",{class:"cc-badge","aria-hidden":"true",hidden:!0}),Fe=_("span",{class:"cc-launcher-icon"},q.chat()),te=_("button",{type:"button",class:"cc-launcher","aria-controls":"cc-panel","aria-expanded":"false","aria-label":"Open chat",on:{click:()=>st()}},Fe,Oe),nt=_("span",{text:"We usually reply in a few minutes"}),Rt=_("button",{type:"button",class:"cc-close","aria-label":"Close chat",on:{click:()=>ge()}},q.close()),At=_("header",{class:"cc-header"},_("div",{class:"cc-avatar","aria-hidden":"true"},q.support()),_("div",{class:"cc-heading"},_("h2",{class:"cc-title",id:"cc-title",text:t}),_("p",{class:"cc-subtitle"},_("span",{class:"cc-dot","aria-hidden":"true"}),nt)),Rt),ot=_("span"),rt=_("button",{type:"button",hidden:!0,text:"Try again",on:{click:()=>Nt()}}),ze=_("div",{class:"cc-banner",role:"status",hidden:!0},ot,rt),W=_("div",{class:"cc-log",role:"log","aria-live":"polite","aria-relevant":"additions","aria-label":"Conversation",tabindex:"0"}),A=_("textarea",{id:"cc-input",class:"cc-input",rows:"1",placeholder:"Type your message…","aria-describedby":"cc-hint",autocomplete:"off",on:{input:Ye,keydown:jt}}),it=_("button",{type:"submit",class:"cc-send","aria-label":"Send message"},q.send()),qe=_("form",{class:"cc-composer",novalidate:!0,on:{submit:lt}},_("label",{for:"cc-input",class:"cc-sr-only",text:"Your message"}),_("div",{class:"cc-row"},A,it),_("p",{class:"cc-footer",id:"cc-hint",text:"Enter to send · Shift+Enter for a new line"})),Ke=_("section",{id:"cc-panel",class:"cc-panel",role:"dialog","aria-labelledby":"cc-title",hidden:!0},At,ze,W,qe);B.append(Ke,te),B.addEventListener("keydown",i=>{i.key==="Escape"&&T&&(i.preventDefault(),i.stopPropagation(),ge())}),tt.append(B),document.body.append(Be),gn(B,n),s.watch(Dt),h&&(_e(h.greeting),K().catch(()=>{})),window.location.hash==="#cc-open"&&ne({focus:!1}),window.addEventListener("hashchange",()=>{window.location.hash==="#cc-open"&&ne()}),document.addEventListener("click",i=>{i.target instanceof Element&&i.target.closest('a[href="#cc-open"]')&&!i.defaultPrevented&&i.button===0&&!i.metaKey&&!i.ctrlKey&&!i.shiftKey&&(i.preventDefault(),ne())});function ne({focus:i=!0}={}){T||(T=!0,Ke.hidden=!1,B.setAttribute("data-open",""),te.setAttribute("aria-expanded","true"),Fe.replaceChildren(q.close()),H=0,Xe(),pe(),v.some(l=>l.kind==="greeting")||_e(h?h.greeting:null),K().catch(()=>{}),be(!0)),i&&(window.matchMedia&&window.matchMedia("(pointer: coarse)").matches?W:A).focus({preventScroll:!0})}function ge({restoreFocus:i=!0}={}){T&&(T=!1,Ke.hidden=!0,B.removeAttribute("data-open"),te.setAttribute("aria-expanded","false"),Fe.replaceChildren(q.chat()),pe(),i&&te.focus())}function st(){T?ge():ne()}function pe(){Oe.hidden=H===0||T,Oe.textContent=H>9?"9+":String(H);let i=T?"Close chat":H>0?`Open chat (${H} unread ${H===1?"message":"messages"})`:"Open chat";te.setAttribute("aria-label",i)}function Ve(){return h&&!u&&!Et(h)?Promise.resolve(h):(d||(d=kt(o,e,h?h.visitorToken:null).then(i=>{let l={visitorToken:i.visitorToken,contactId:i.contactId,contactName:i.contactName,greeting:i.greeting||null,renewedAt:Date.now()};return h&&h.contactId!==l.contactId&&Wt(),h=l,u=!1,s.save(l),_e(l.greeting),l}).finally(()=>{d=null})),d)}function Dt(i){if(!(!i||typeof i.visitorToken!="string")&&(!h||h.contactId===i.contactId)){let l=!h;h=i,u=!1,l&&(_e(i.greeting),K().catch(()=>{}))}}function $t(){return g||(g=new he().withUrl(new URL("hubs/chat",o).href,{accessTokenFactory:()=>Ve().then(i=>i.visitorToken),withCredentials:!1}).withAutomaticReconnect({nextRetryDelayInMilliseconds:i=>(et(i.retryReason)&&(u=!0),Tt[Math.min(i.previousRetryCount,Tt.length-1)])}).configureLogging(c.None).build(),g.on("MessageReceived",i=>ht(i)),g.on("AgentAssigned",i=>Lt(i)),g.onreconnecting(()=>O("reconnecting")),g.onreconnected(()=>{ct()}),g.onclose(()=>{O("offline","The chat connection was closed."),at()}),g)}function K(){let i=$t();return i.state===m.Connected?Promise.resolve():k||(i.state===m.Reconnecting?Mt():(clearTimeout(ue),O("connecting"),k=(async()=>{await Ve();try{await i.start()}catch(l){if(!et(l))throw l;u=!0,await Ve(),await i.start()}de=0,await ct()})().catch(l=>{throw l instanceof N&&l.status===404?O("unavailable",l.message):(O("offline",l instanceof N?l.message:"We can't connect to the chat right now."),at()),l}).finally(()=>{k=null}),k))}async function ct(){O("online");let i=L;L=[],i.forEach(l=>l.resolve()),await Ht();for(let l of v)l.kind==="message"&&l.status==="failed"&&l.queued&&Ge(l)}function Mt(){return new Promise((i,l)=>{let f={resolve:()=>F(i),reject:ie=>F(()=>l(ie))},S=setTimeout(()=>f.reject(new Error("Still reconnecting.")),an);function F(ie){clearTimeout(S),L=L.filter(Bt=>Bt!==f),ie()}L.push(f)})}function at(){clearTimeout(ue);let i=Pt[Math.min(de,Pt.length-1)];de+=1,ue=setTimeout(()=>K().catch(()=>{}),i)}function Nt(){de=0,clearTimeout(ue),K().catch(()=>{})}async function Ht(){try{let i=await g.invoke("GetHistory");for(let l of i||[])ht(l);T&&Xe()}catch{}}function O(i,l){Y=i,B.setAttribute("data-state",i==="online"?"online":i==="offline"||i==="unavailable"?"offline":"pending");let f={idle:"We usually reply in a few minutes",connecting:"Connecting…",online:Z?`You're chatting with ${Z}`:"We're online",reconnecting:"Reconnecting…",offline:"Offline",unavailable:"Unavailable"};nt.textContent=f[i]||"",i==="reconnecting"?Je("Connection lost. Reconnecting…",!1):i==="offline"?Je(l||"You're offline.",!0):i==="unavailable"?Je(l||"Chat is not available right now.",!1):ze.hidden=!0;let S=i==="unavailable";A.disabled=S,it.disabled=S}function Je(i,l){ot.textContent=i,rt.hidden=!l,ze.hidden=!1}function lt(i){i.preventDefault();let l=A.value.trim();if(!l||Y==="unavailable")return;A.value="",Ye();let f={kind:"message",id:null,clientMessageId:Ct(),fromCustomer:!0,authorName:"",text:l,createdAt:null,status:"sending"};ee.set(f.clientMessageId,f),re(f),be(!0),Ge(f)}async function Ge(i){i.status="sending",i.error=null,i.errorCode=null,i.queued=!1,me(i);try{await K();let l=await g.invoke("SendMessage",{clientMessageId:i.clientMessageId,text:i.text});l&&l.messageId&&!i.id&&(i.id=l.messageId,Q.set(i.id,i)),i.status="sent",i.createdAt||(i.createdAt=new Date,ut(i))}catch(l){let f=It(l);i.status="failed",i.errorCode=f?f.code:null,i.error=f?f.message:l instanceof N?l.message:"Not sent: the connection dropped.",i.queued=!f&&Y!=="unavailable"}me(i)}function ht(i){if(!i||!i.id)return;let l=Q.get(i.id)||(i.fromCustomer&&i.clientMessageId?ee.get(i.clientMessageId):void 0),f=pn(i.createdAt);if(l){l.id||(l.id=i.id,Q.set(i.id,l));let ie=f&&(!l.createdAt||l.createdAt.getTime()!==f.getTime());f&&(l.createdAt=f),l.status!=="sent"&&(l.status="sent",l.error=null,l.queued=!1),ie&&ut(l),me(l);return}let S={kind:"message",id:i.id,clientMessageId:i.clientMessageId||null,fromCustomer:!!i.fromCustomer,authorName:String(i.authorName||""),text:String(i.text??""),createdAt:f,status:"sent"};Q.set(S.id,S),S.clientMessageId&&S.fromCustomer&&ee.set(S.clientMessageId,S);let F=ft();re(S),be(F),S.fromCustomer||(T?Xe():(!f||f.getTime()>fe)&&(H+=1,pe()))}function Lt(i){let l=String(i||"").trim()||"An agent";if(l===Z)return;Z=l,Y==="online"&&O("online");let f=ft();re({kind:"note",text:`${Z} joined the chat`,createdAt:new Date}),be(f)}function _e(i){let l=String(i||"").trim()||ln,f=v.find(S=>S.kind==="greeting");if(f){f.text!==l&&(f.text=l,dt(f));return}re({kind:"greeting",text:l,authorName:"",createdAt:null})}function Wt(){for(let i of v.filter(l=>l.kind!=="greeting"))i.el.remove();v.splice(0,v.length,...v.filter(i=>i.kind==="greeting")),Q.clear(),ee.clear(),H=0,pe()}function oe(i){return i.kind==="greeting"?-1/0:i.createdAt?i.createdAt.getTime():1/0}function re(i){let l=oe(i),f=v.length;for(;f>0&&oe(v[f-1])>l;)f-=1;v.splice(f,0,i);let S=v[f+1];W.insertBefore(i.el||dt(i),S?S.el:null)}function ut(i){let l=v.indexOf(i),f=oe(i),S=v[l-1],F=v[l+1];(S&&oe(S)>f||F&&oe(F)<f)&&(v.splice(l,1),re(i))}function dt(i){let l=i.el||(i.el=_("div"));if(l.replaceChildren(),i.kind==="note")return l.setAttribute("class","cc-item cc-item--note"),l.textContent=i.text,l;let f=i.kind==="message"&&i.fromCustomer;l.setAttribute("class",`cc-item ${i.kind==="greeting"?"cc-item--greeting":f?"cc-item--customer":"cc-item--agent"}`),f?l.append(_("span",{class:"cc-sr-only",text:"You:"})):i.authorName&&l.append(_("span",{class:"cc-author",text:i.authorName}));let S=_("div",{class:"cc-bubble"});return xt(S,i.text),l.append(S),i.metaEl=_("div",{class:"cc-meta-slot"}),l.append(i.metaEl),me(i),l}function me(i){if(!i.el||!i.metaEl||i.kind!=="message")return;i.el.setAttribute("data-status",i.status);let l=i.metaEl;if(l.replaceChildren(),i.status==="sending")l.append(_("div",{class:"cc-meta","aria-hidden":"true",text:"Sending…"}));else if(i.status==="failed"){let f=!!(i.errorCode&&i.errorCode.startsWith("validation."));l.append(_("div",{class:"cc-failure"},_("span",{text:i.error||"Not sent."}),_("button",{type:"button",text:"Retry","aria-label":"Retry sending this message",on:{click:()=>Ge(i)}}),f&&_("button",{type:"button",text:"Edit","aria-label":"Edit this message",on:{click:()=>Ut(i)}})))}else if(i.createdAt){let f=_("time",{class:"cc-meta",datetime:i.createdAt.toISOString(),title:i.createdAt.toLocaleString(),"aria-hidden":"true"});f.textContent=_n(i.createdAt),l.append(f)}}function Ut(i){let l=v.indexOf(i);l>=0&&v.splice(l,1),i.el.remove(),ee.delete(i.clientMessageId),A.value=i.text,Ye(),A.focus()}function ft(){return W.scrollHeight-W.scrollTop-W.clientHeight<80}function be(i){i&&(W.scrollTop=W.scrollHeight)}function Xe(){let i=fe;for(let l of v)l.kind==="message"&&l.createdAt&&(i=Math.max(i,l.createdAt.getTime()));if(i!==fe){fe=i;try{window.localStorage.setItem(a,String(i))}catch{}}}function Ye(){A.style.height="auto",A.style.height=`${Math.min(A.scrollHeight+2,140)}px`}function jt(i){i.key==="Enter"&&!i.shiftKey&&!i.isComposing&&(i.preventDefault(),typeof qe.requestSubmit=="function"?qe.requestSubmit():lt(i))}return{open:()=>ne(),close:()=>ge({restoreFocus:!1}),toggle:()=>st(),get isOpen(){return T}}}function fn(o,e){try{let t=new CSSStyleSheet;t.replaceSync(e),o.adoptedStyleSheets=[t]}catch{o.append(_("style",{text:e}))}}function gn(o,e){if(!e)return;o.style.setProperty("--cc-accent",e);let t=_("span");t.style.color=e,o.append(t);let n=(getComputedStyle(t).color.match(/[\d.]+/g)||[]).slice(0,3).map(Number);if(t.remove(),n.length===3){let[r,s,a]=n.map(u=>{let d=u/255;return d<=.03928?d/12.92:((d+.055)/1.055)**2.4}),h=.2126*r+.7152*s+.0722*a;o.style.setProperty("--cc-accent-text",h>.45?"#111827":"#ffffff")}}function pn(o){if(!o)return null;let e=new Date(o);return Number.isNaN(e.getTime())?null:e}function _n(o){let e=new Date;return o.toDateString()===e.toDateString()?o.toLocaleTimeString([],{hour:"numeric",minute:"2-digit"}):o.toLocaleString([],{month:"short",day:"numeric",hour:"numeric",minute:"2-digit"})}function mn(o){try{return Number(window.localStorage.getItem(o))||0}catch{return 0}}})();
